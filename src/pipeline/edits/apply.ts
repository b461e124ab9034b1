import { cleanLine, fitOnScreen } from '../on-screen.ts';
import type { RunInput } from '../run-input.ts';
import { type Brief, BriefSchema, describeIssues, type Scene } from '../schemas.ts';
import { rebalance } from './durations.ts';
import { orderFor, type SceneEdit, sourceOf } from './overrides.ts';
import type { BriefField, Edit, SceneChanges } from './schema.ts';

export type Applied = { ok: true; next: RunInput; summary: string } | { ok: false; reason: string };
export type BriefApplied = { ok: true; brief: Brief; summary: string } | { ok: false; reason: string };

export interface EditScope {
  input: RunInput;
  /** The storyboard in display order (null before there is one). */
  scenes: Scene[] | null;
  /** The chosen mood's tempo: the base of "calmer" / "more upbeat". */
  moodTempoBpm: number | null;
}

const LABELS: Record<BriefField, string> = {
  product: 'Product',
  audience: 'Audience',
  tone: 'Tone',
  style: 'Visual style',
  keyMessages: 'Key messages',
  callToAction: 'Call to action',
};
const quote = (s: string, max = 80) => `“${cleanLine(s).slice(0, max)}”`;
const refuse = (reason: string) => ({ ok: false as const, reason });

/** A brief field set from words; list fields split on commas ("playful, bold"), messages on `;`. */
export function applyBriefEdit(brief: Brief, field: BriefField, value: string | string[]): BriefApplied {
  const list = field === 'tone' || field === 'style' || field === 'keyMessages';
  const split = field === 'keyMessages' ? /\s*[;|\n]\s*/ : /\s*(?:[,;\n]|\band\b)\s*/i;
  const v = list
    ? (Array.isArray(value) ? value : value.split(split)).map((x) => x.trim()).filter(Boolean)
    : value;
  const parsed = BriefSchema.safeParse({ ...brief, [field]: Array.isArray(v) && !list ? v.join(', ') : v });
  if (!parsed.success)
    return refuse(
      `That ${LABELS[field].toLowerCase()} doesn’t fit the brief: ${describeIssues(parsed.error)}`,
    );
  if (JSON.stringify(parsed.data[field]) === JSON.stringify(brief[field]))
    return refuse(`The ${LABELS[field].toLowerCase()} is already that; nothing to change.`);
  const shown = parsed.data[field];
  return {
    ok: true,
    brief: parsed.data,
    summary: `${LABELS[field]} → ${quote(Array.isArray(shown) ? shown.join(', ') : shown)}`,
  };
}

function withSceneEdits(input: RunInput, edits: Record<number, SceneEdit>): RunInput {
  const sceneEdits = { ...input.sceneEdits };
  for (const [source, e] of Object.entries(edits)) sceneEdits[source] = { ...sceneEdits[source], ...e };
  return { ...input, sceneEdits };
}

function sceneChange(s: EditScope, scenes: Scene[], position: number, changes: SceneChanges): Applied {
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

function reorder(s: EditScope, scenes: Scene[], e: Extract<Edit, { target: 'order' }>): Applied {
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

/**
 * Pure: the run state an edit leads to and one line saying what changes, or why it can't apply
 * (the state stays as it was). Scene edits are overrides on the planned storyboard; the step ids
 * they change (run-input.ts keys) are exactly what has to be made again.
 */
export function applyEdit(s: EditScope, e: Edit): Applied {
  const scenes = s.scenes;
  const i = s.input;
  switch (e.target) {
    case 'brief': {
      const r = applyBriefEdit(i.brief, e.field, e.value);
      if (!r.ok) return r;
      const fresh = { sceneRevs: {}, sceneEdits: {}, sceneOrder: null };
      // Moods and scenes are planned from the brief: a new brief is a new plan from where people are.
      if (i.moodChoice === null)
        return {
          ok: true,
          next: { ...i, ...fresh, brief: r.brief, moodsRev: i.moodsRev + 1, storyboardRev: 0 },
          summary: `${r.summary}. New mood boards follow from the new brief.`,
        };
      return {
        ok: true,
        next: {
          ...i,
          ...fresh,
          brief: r.brief,
          storyboardRev: i.storyboardRev + 1,
          musicRev: i.musicRev + 1,
        },
        summary: `${r.summary}. Re-planning the storyboard and music for the new brief, in the same mood.`,
      };
    }
    case 'music': {
      const base = i.musicTempoBpm ?? s.moodTempoBpm ?? 100;
      const tempo =
        e.tempo === 'slower'
          ? Math.max(60, base - 20)
          : e.tempo === 'faster'
            ? Math.min(160, base + 20)
            : base;
      const pace = tempo === base ? `${base} bpm` : `${base} → ${tempo} bpm`;
      return {
        ok: true,
        next: {
          ...i,
          musicRev: i.musicRev + 1,
          musicNote: cleanLine(e.note).slice(0, 200),
          musicTempoBpm: tempo,
        },
        summary: `New music: ${quote(e.note, 60)}, ${pace}. Only the music is made again; scenes and clips stay.`,
      };
    }
    case 'voice':
      return refuse(
        'This ad has no voice-over to change: voice-over is not part of this version of adgen yet.',
      );
    case 'format':
      return refuse('This ad renders one format, 9:16 vertical; other formats are not available here yet.');
    default:
      break;
  }
  if (!scenes)
    return refuse('There is no storyboard yet: pick a mood board first, then change scenes, words or music.');
  switch (e.target) {
    case 'scene':
      return sceneChange(s, scenes, e.scene - 1, e.changes);
    case 'on-screen':
      return sceneChange(s, scenes, e.scene === 'end' ? scenes.length - 1 : e.scene - 1, {
        onScreen: e.text,
      });
    case 'order':
      return reorder(s, scenes, e);
    case 'all-scenes': {
      const n = scenes.length;
      const edits: Record<number, SceneEdit> = {};
      scenes.forEach((sc, p) => {
        edits[sourceOf(i, p, n)] = {
          description: `${sc.description} ${cleanLine(e.append.description)}`.slice(0, 400),
          stylePrompt: `${cleanLine(e.append.stylePrompt)}; ${sc.stylePrompt}`.slice(0, 400),
        };
      });
      return {
        ok: true,
        next: withSceneEdits(i, edits),
        summary: `Every scene: ${quote(e.append.description)}. Re-making all ${n} images and clips.`,
      };
    }
  }
}
