import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AppError, errorMessage } from '../errors.ts';
import { type BrandKit, BrandKitSchema, describeBrandIssues } from '../pipeline/brand.ts';
import { checkFont } from '../pipeline/brand-check.ts';
import { brandNotes } from '../pipeline/brand-look.ts';
import { LOGO_MAX_BYTES, LogoRejectedError, storeLogo } from '../pipeline/media/logo.ts';
import type { FfmpegBins } from '../pipeline/media/run.ts';

const MAX_FILE_BYTES = 64 * 1024;

/** The file's shape: the logo is a path, relative to the JSON file; unknown keys are typos. */
const BrandFileSchema = z.strictObject({
  ...BrandKitSchema.shape,
  logo: z.string().trim().min(1, 'must be a file path').max(1000).nullable().default(null),
});

const bad = (file: string, message: string) => new AppError('bad_input', `${file}: ${message}`);

/**
 * `--brand FILE.json` into a checked kit: fields validated, the font found among the installed
 * ones, the logo checked and stored as a clean PNG under `brandDir`. Problems come back as one
 * sentence naming the file and the field. `notes` says which colours were adjusted for contrast.
 */
export async function readBrandFile(
  file: string,
  brandDir: string,
  bins?: FfmpegBins,
): Promise<{ kit: BrandKit; notes: string[] }> {
  let json: unknown;
  try {
    if (fs.statSync(file).size > MAX_FILE_BYTES)
      throw bad(file, `the brand file is larger than ${MAX_FILE_BYTES} bytes`);
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (err instanceof SyntaxError) throw bad(file, `not valid JSON: ${err.message}`);
    throw new AppError('bad_input', `cannot read brand file ${file}: ${errorMessage(err)}`);
  }
  const parsed = BrandFileSchema.safeParse(json);
  if (!parsed.success) throw bad(file, `invalid brand kit: ${describeBrandIssues(parsed.error)}`);
  const { logo: logoPath, ...fields } = parsed.data;
  let font = fields.font;
  if (font) {
    const found = await checkFont(font);
    if (!found.ok) throw bad(file, found.message);
    font = found.family;
  }
  let logo: BrandKit['logo'] = null;
  if (logoPath) {
    const at = path.resolve(path.dirname(file), logoPath);
    try {
      const size = fs.statSync(at).size;
      if (size > LOGO_MAX_BYTES)
        throw new LogoRejectedError(`the logo is ${size} bytes; at most ${LOGO_MAX_BYTES} are allowed`);
      logo = await storeLogo(fs.readFileSync(at), brandDir, bins);
    } catch (err) {
      if (err instanceof LogoRejectedError) throw bad(file, `logo ${logoPath}: ${err.message}`);
      throw bad(file, `cannot read the logo ${logoPath}: ${errorMessage(err)}`);
    }
  }
  const kit = BrandKitSchema.parse({ ...fields, font, logo });
  return { kit, notes: brandNotes(kit) };
}
