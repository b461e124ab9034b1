import { cleanLine } from '../on-screen.ts';
import type { RunInput } from '../run-input.ts';
import { type Brief, BriefSchema, describeIssues, type Scene } from '../schemas.ts';
import { type SceneEdit, sourceOf } from './overrides.ts';
import { quote, reorder, sceneChange, withSceneEdits } from './scene-edits.ts';
import type { BriefField, Edit } from './schema.ts';
import { applyFormatEdit, applyVoiceEdit } from './voice-format.ts';

export type Applied = { ok: true; next: RunInput; summary: string } | { ok: false; reason: string };
export type BriefApplied = { ok: true; brief: Brief; summary: string } | { ok: false; reason: string };

export interface EditScope {
  input: RunInput;
  /** The storyboard in display order (null before there is one). */
  scenes: Scene[] | null;
  /** The chosen mood's tempo: the base of "calmer" / "more upbeat". */
  moodTempoBpm: number | null;
  /** The speech provider's configured voice ("add a voice-over"); null or absent: none. */
  defaultVoice?: string | null;
}

const LABELS: Record<BriefField, string> = {
  product: 'Product',
  audience: 'Audience',
  tone: 'Tone',
  style: 'Visual style',
  keyMessages: 'Key messages',
  callToAction: 'Call to action',
};
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
      return applyVoiceEdit(i, e.note, s.defaultVoice ?? null);
    case 'format':
      return applyFormatEdit(i, e.note);
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
