import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildAssDocument } from '../../src/pipeline/media/ass.ts';
import type { ComposeInput } from '../../src/pipeline/media/compose-graph.ts';
import { DEFAULT_FORMAT, FORMAT_SPECS, type FormatName } from '../../src/pipeline/media/formats.ts';
import { formatMargins } from '../../src/pipeline/media/safe-zones.ts';
import { type LayerItem, layoutTextLayer, type TextLayer } from '../../src/pipeline/media/text-layer.ts';

/**
 * The "full layer" of bench:compose, built the way render does it: the text layer (hook, scene
 * lines, product, end card) as an ASS document drawn in the one pass, plus whatever a hook adds.
 *
 * Voice-over, captions and ducking are built elsewhere at the same time: the hook is where they
 * plug in without touching the bench. `extendInput` adds the extra audio input(s) and the mix
 * fields to the compose input (e.g. a voice track to duck the music under); `subtitleEvents`
 * adds caption items drawn by the same libass filter, so captions cost what they cost in
 * production (one more set of events, not one more filter). Set COMPOSE_BENCH_HOOK to a module
 * whose default export is a LayerHook, or edit DEFAULT_HOOK here.
 */
export interface LayerHook {
  name: string;
  /** Caption events, on the layer's own frame (its width, height and safe area). */
  subtitleEvents?: (layer: TextLayer) => LayerItem[];
  /** Extra audio inputs and mix settings; `dir` is the bench's scratch folder for fixtures. */
  extendInput?: (input: ComposeInput, dir: string) => Promise<ComposeInput>;
}

export const DEFAULT_HOOK: LayerHook = { name: 'text only (no voice/captions hook yet)' };

export async function loadHook(): Promise<LayerHook> {
  const spec = process.env.COMPOSE_BENCH_HOOK;
  if (!spec) return DEFAULT_HOOK;
  const mod = (await import(spec)) as { default?: LayerHook };
  if (!mod.default?.name) throw new Error(`COMPOSE_BENCH_HOOK ${spec} has no default LayerHook export`);
  return mod.default;
}

const LINES = [
  'Stop scrolling.',
  'Meet Brewline cold brew',
  'Smooth, never bitter',
  'Delivered every week',
  'Skip the café queue',
  'Cancel any time',
  'Order your first box',
];

/** The compose input with the full layer for `format` (the base's profile must be that format's). */
export async function withFullLayer(
  base: ComposeInput,
  dir: string,
  hook: LayerHook,
  format: FormatName = DEFAULT_FORMAT,
): Promise<ComposeInput> {
  const { width, height } = base.profile;
  const layer = layoutTextLayer({
    width,
    height,
    margins: formatMargins(format),
    crossfadeS: 0.5,
    scenes: base.clips.map((c, i) => ({ onScreen: LINES[i % LINES.length]!, durationS: c.slotS })),
    product: 'Brewline',
    callToAction: 'Order your first box',
    url: 'brewline.example',
    colours: { panel: '#264653', accent: '#e9c46a' },
  });
  const full = { ...layer, items: [...layer.items, ...(hook.subtitleEvents?.(layer) ?? [])] };
  const assPath = join(dir, `layer-${format}.ass`);
  await writeFile(assPath, buildAssDocument(full), 'utf8');
  const input: ComposeInput = { ...base, textLayer: { assPath }, reframe: FORMAT_SPECS[format].reframe };
  return hook.extendInput ? hook.extendInput(input, dir) : input;
}
