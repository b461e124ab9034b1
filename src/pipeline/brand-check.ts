import { type BrandKit, BrandKitSchema, describeBrandIssues } from './brand.ts';
import { installedFontFamilies, matchFamily, similarFamilies } from './media/fonts.ts';

/** A kit's font, checked against what fontconfig has (libass would silently substitute). */
export async function checkFont(
  font: string,
  families?: readonly string[],
): Promise<{ ok: true; family: string } | { ok: false; message: string }> {
  const installed = families ?? (await installedFontFamilies());
  const family = matchFamily(font, installed);
  if (family) return { ok: true, family };
  const near = similarFamilies(font, installed);
  return {
    ok: false,
    message: `The font “${font}” is not installed here${near.length ? `; installed families include ${near.join(', ')}` : ''}.`,
  };
}

/** Any value into a kit, or the reasons in plain words (never zod's raw output). */
export function parseBrandKit(value: unknown): { ok: true; kit: BrandKit } | { ok: false; message: string } {
  const parsed = BrandKitSchema.safeParse(value);
  return parsed.success
    ? { ok: true, kit: parsed.data }
    : { ok: false, message: describeBrandIssues(parsed.error) };
}
