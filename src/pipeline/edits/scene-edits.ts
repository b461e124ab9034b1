import { cleanLine, fitOnScreen } from '../on-screen.ts';
import type { RunInput } from '../run-input.ts';
import type { Scene } from '../schemas.ts';
import type { Applied, EditScope } from './apply.ts';
import { rebalance } from './durations.ts';
import { orderFor, type SceneEdit, sourceOf } from './overrides.ts';
import type { Edit, SceneChanges } from './schema.ts';

/** Edits of the storyboard's scenes: their fields, their lengths (re-balanced), their order. */

export const quote = (s: string, max = 80) => `“${cleanLine(s).slice(0, max)}”`;
const refuse = (reason: string) => ({ ok: false as const, reason });

export function withSceneEdits(input: RunInput, edits: Record<number, SceneEdit>): RunInput {
  const sceneEdits = { ...input.sceneEdits };
  for (const [source, e] of Object.entries(edits)) sceneEdits[source] = { ...sceneEdits[source], ...e };
  return { ...input, sceneEdits };
}

export function sceneChange(s: EditScope, scenes: Scene[], position: number, changes: SceneChanges): Applied {
  const n = scenes.length;
  if (position < 0 || position >= n)
    return refuse(`This storyboard has ${n} scenes; there is no scene ${position + 1}.`);
  const cur = scenes[position]!;
  const edit: SceneEdit = {};
  const notes: string[] = [];
  for (const f of ['title', 'description', 'stylePrompt'] as const) {
    const v = changes[f];
    if (v !== undefined && cleanLine(v) !== cur[f]) edit[f] = cleanLine(v).slice(0, f === 'title' ? 60 : 400);
  }
  if (changes.onScreen !== undefined) {
    const fitted = fitOnScreen(changes.onScreen);
    if (!fitted) return refuse('Those on-screen words are empty once cleaned up; say them in quotes.');
    if (fitted !== cleanLine(changes.onScreen)) notes.push(`shortened to fit the screen: ${quote(fitted)}`);
    if (fitted !== cur.onScreen) edit.onScreen = fitted;
  }
  const byPosition: Record<number, SceneEdit> = {};
  let timing = '';
  if (changes.durationS !== undefined && changes.durationS !== cur.durationS) {
    const r = rebalance(scenes, position, changes.durationS);
    if (!r.ok) return refuse(r.reason);
    const moved = r.durations
      .map((d, i) => ({ i, from: scenes[i]!.durationS, d }))
      .filter((x) => x.d !== x.from && x.i !== position);
    for (const m of moved) byPosition[m.i] = { durationS: m.d };
    edit.durationS = changes.durationS;
    timing =
      `${cur.durationS} s → ${changes.durationS} s` +
      (moved.length
        ? `; ${moved.map((m) => `scene ${m.i + 1} ${m.from} → ${m.d} s`).join(', ')} to keep 30 s`
        : '');
  }
  if (Object.keys(edit).length === 0)
    return refuse(`Scene ${position + 1} already looks like that; nothing to change.`);
  byPosition[position] = edit;
  const bySource = Object.fromEntries(
    Object.entries(byPosition).map(([p, e]) => [sourceOf(s.input, Number(p), n), e]),
  );
  const visual = edit.title !== undefined || edit.description !== undefined || edit.stylePrompt !== undefined;
  const what = [
    edit.description ? quote(edit.description) : null,
    edit.stylePrompt && !edit.description ? `look ${quote(edit.stylePrompt, 60)}` : null,
    edit.onScreen ? `on screen ${quote(edit.onScreen)}` : null,
    timing || null,
    ...notes,
  ].filter(Boolean);
  const remake = visual
    ? 're-making its image and clip; the other scenes stay as they are'
    : timing
      ? 'only the clips whose length changed are made again'
      : 'only the words on screen change; no new images or clips';
  return {
    ok: true,
    next: withSceneEdits(s.input, bySource),
    summary: `Scene ${position + 1} (${cur.kind}): ${what.join('; ')}. ${remake[0]!.toUpperCase()}${remake.slice(1)}.`,
  };
}

export function reorder(s: EditScope, scenes: Scene[], e: Extract<Edit, { target: 'order' }>): Applied {
  const n = scenes.length;
  for (const k of [e.from, e.to])
    if (k > n) return refuse(`This storyboard has ${n} scenes; there is no scene ${k}.`);
  if (e.from === e.to) return refuse(`Scene ${e.from} is already there; nothing to move.`);
  const order = [...orderFor(s.input.sceneOrder, n)];
  if (e.op === 'swap') [order[e.from - 1], order[e.to - 1]] = [order[e.to - 1]!, order[e.from - 1]!];
  else order.splice(e.to - 1, 0, ...order.splice(e.from - 1, 1));
  const identity = order.every((p, i) => p === i);
  const kinds = order.map((p) => scenes[orderFor(s.input.sceneOrder, n).indexOf(p)]!.kind);
  const note =
    kinds.at(-1) !== 'cta'
      ? ' Note: the call-to-action scene is no longer last.'
      : kinds[0] !== 'hook'
        ? ' Note: the hook no longer opens the ad.'
        : '';
  const did =
    e.op === 'swap' ? `Swapping scenes ${e.from} and ${e.to}` : `Moving scene ${e.from} to place ${e.to}`;
  return {
    ok: true,
    next: { ...s.input, sceneOrder: identity ? null : order },
    summary: `${did}: nothing is made again, only the final cut changes.${note}`,
  };
}
