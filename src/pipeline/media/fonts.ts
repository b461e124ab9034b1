import { DEFAULT_BINS, type FfmpegBins, runBinary } from './run.ts';

/**
 * The font families installed on this machine, as fontconfig (and so libass) knows them. A brand
 * font must be one of them: libass silently falls back to another font for a name it cannot find,
 * and the ad would not show the brand's type while everything claimed it did.
 */
export async function installedFontFamilies(
  fcList = 'fc-list',
  limit: FfmpegBins['limit'] = DEFAULT_BINS.limit,
): Promise<string[]> {
  const { stdout } = await runBinary(fcList, [':', 'family'], { limit });
  return parseFamilies(stdout);
}

/** `fc-list : family` prints one face per line, its family names comma separated (with `\,`). */
export function parseFamilies(stdout: string): string[] {
  const names = new Set<string>();
  for (const line of stdout.split('\n')) {
    for (const name of line.split(/(?<!\\),/)) {
      const clean = name.replace(/\\,/g, ',').trim();
      if (clean) names.add(clean);
    }
  }
  return [...names].sort((a, b) => a.localeCompare(b));
}

/** The installed family a person meant (case and spacing forgiven), or null. */
export function matchFamily(wanted: string, families: readonly string[]): string | null {
  const key = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, '');
  return families.find((f) => key(f) === key(wanted)) ?? null;
}

/** A few close names to suggest when a font is not installed. */
export function similarFamilies(wanted: string, families: readonly string[], n = 4): string[] {
  const first = wanted.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  const hits = families.filter((f) => first && f.toLowerCase().includes(first));
  return (hits.length ? hits : families.filter((f) => /^(Noto Sans|Noto Serif|DejaVu Sans)$/.test(f))).slice(
    0,
    n,
  );
}
