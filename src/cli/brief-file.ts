import fs from 'node:fs';
import { AppError } from '../errors.ts';
import { type Brief, BriefSchema, describeIssues } from '../pipeline/schemas.ts';

export const MAX_BRIEF_BYTES = 64 * 1024;

/** A brief from a JSON file, with errors that name the file and the field. */
export function readBriefFile(file: string, defaults: Partial<Brief> = {}): Brief {
  let text: string;
  try {
    if (fs.statSync(file).size > MAX_BRIEF_BYTES) {
      throw new AppError('bad_input', `${file}: the brief is larger than ${MAX_BRIEF_BYTES} bytes`);
    }
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('bad_input', `cannot read brief file ${file}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new AppError('bad_input', `${file} is not valid JSON: ${(err as Error).message}`);
  }
  // A brand kit's default call to action fills a brief that has none (--brand).
  const withDefaults =
    json && typeof json === 'object' && !Array.isArray(json) ? { ...defaults, ...json } : json;
  const parsed = BriefSchema.safeParse(withDefaults);
  if (!parsed.success)
    throw new AppError('bad_input', `${file}: invalid brief: ${describeIssues(parsed.error)}`);
  return parsed.data;
}
