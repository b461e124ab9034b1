import { writeFile } from 'node:fs/promises';
import { buildAssDocument } from '../media/ass.ts';
import { DEFAULT_CROSSFADE_S } from '../media/compose-graph.ts';
import { DEFAULT_FORMAT, type FormatName } from '../media/formats.ts';
import type { Profile } from '../media/profiles.ts';
import { formatMargins } from '../media/safe-zones.ts';
import { layoutTextLayer, luminance, type TextLayer, type TextLayerInput } from '../media/text-layer.ts';
import { fitOnScreen, productLabel } from '../on-screen.ts';
import type { Brief, Mood, Scene } from '../schemas.ts';

/** Plans stored before scenes had on-screen words fall back to the (shortened) title. */
function wordsOf(scene: Scene): string {
  return (scene as Partial<Scene>).onScreen || fitOnScreen(scene.title);
}

/** End card colours from the mood (a brand kit overrides them): darkest panel, strongest accent. */
export function endCardColours(palette: readonly string[]): { panel: string; accent: string } {
  const byLum = [...palette].sort((a, b) => luminance(a) - luminance(b));
  const panel = byLum[0] ?? '#000000';
  const accent = byLum.at(-1) && byLum.at(-1) !== panel ? byLum.at(-1)! : '#ffffff';
  return { panel, accent };
}

/** What a brand kit adds to the end card (brand-look.ts fills it from the run's kit). */
export interface EndCardBrand {
  url?: string;
  colours?: TextLayerInput['colours'];
  font?: string;
}

export function planTextLayer(
  scenes: Scene[],
  brief: Brief,
  mood: Mood,
  profile: Profile,
  brand: EndCardBrand = {},
  /** The frame `profile` is for: its own UI margins (safe-zones.ts). */
  format: FormatName = DEFAULT_FORMAT,
): TextLayer {
  const last = scenes.at(-1);
  return layoutTextLayer({
    width: profile.width,
    height: profile.height,
    margins: formatMargins(format),
    crossfadeS: DEFAULT_CROSSFADE_S,
    scenes: scenes.map((s) => ({ onScreen: wordsOf(s), durationS: s.durationS })),
    product: productLabel(brief.product),
    // The planner writes the last scene's words as the call to action, already cut to 7 words.
    callToAction: last ? wordsOf(last) : fitOnScreen(brief.callToAction),
    colours: { ...endCardColours(mood.palette), ...brand.colours },
    ...(brand.url ? { url: brand.url } : {}),
    ...(brand.font ? { font: brand.font } : {}),
  });
}

/** Writes the layer's ASS document for compose to draw; returns its path. */
export async function writeTextLayer(path: string, layer: TextLayer): Promise<string> {
  await writeFile(path, buildAssDocument(layer), 'utf8');
  return path;
}
