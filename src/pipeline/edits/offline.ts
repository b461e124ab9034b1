import { cleanLine } from '../on-screen.ts';
import type { Scene } from '../schemas.ts';
import { extractParams } from './params.ts';
import type { EditContext, EditInterpreter } from './port.ts';
import type { BriefField, Edit, EditParams, Interpreted } from './schema.ts';
import { CHANGE_WORDS, FASTER, SETTINGS, SLOWER, TIME_PHRASES, TONES } from './vocab.ts';

type Draft = Edit extends infer E ? (E extends Edit ? Omit<E, 'instruction' | 'params'> : never) : never;

const FIELD_WORDS: [RegExp, BriefField][] = [
  [/^(?:target )?audience$/, 'audience'],
  [/^product$/, 'product'],
  [/^tone$/, 'tone'],
  [/^(?:visual )?style$|^look$/, 'style'],
  [/^(?:key )?messages?$/, 'keyMessages'],
  [/^(?:cta|call to action)$/, 'callToAction'],
];
const BRIEF_EDIT =
  /\b(?:make|set|change|switch|update)\s+(?:the\s+|our\s+)?(target audience|audience|product|tone|visual style|style|look|call to action|cta|key messages?|messages?)\s+(?:to\s+(?:be\s+)?|into\s+|is\s+|be\s+|=\s*|:\s*)?(.+)$/i;
const BRIEF_IS =
  /^(?:the\s+|our\s+)?(target audience|audience|product|tone|visual style|style|call to action|cta|key messages?)\s+(?:should be|is|=|:)\s+(.+)$/i;

const HELP =
  'I can change one thing per message, for example: “scene 2 at night”, “swap scenes 3 and 4”, ' +
  '“shorter hook”, “end with ‘Try it free’”, “calmer music”, “make the audience students”.';

const trimValue = (v: string) => v.replace(/\s*(?:,?\s*please)?[.!]*$/i, '').trim();

/** The scene a message means: a number, or "hook" (first hook scene) / "ending" (last scene). */
function targetScene(t: string, p: EditParams, scenes: Scene[] | null): number | null {
  if (p.scenes[0]) return p.scenes[0];
  if (/\b(hook|opening|opener|first shot)\b/.test(t))
    return (scenes?.findIndex((s) => s.kind === 'hook') ?? 0) + 1 || 1;
  if (/\b(ending|end card|cta scene|closing|outro|last shot)\b/.test(t)) return scenes?.length ?? null;
  return null;
}

function briefEdit(raw: string, quoted: string[]): Draft | null {
  const m = BRIEF_EDIT.exec(raw) ?? BRIEF_IS.exec(raw);
  if (!m) return null;
  const word = m[1]!.toLowerCase();
  const field = FIELD_WORDS.find(([re]) => re.test(word))?.[1];
  const value = quoted[0] ?? trimValue(m[2]!);
  return field && value ? { target: 'brief', field, value } : null;
}

function read(raw: string, ctx: EditContext, p: EditParams): Draft | string | null {
  const t = raw.toLowerCase();
  const scenes = ctx.scenes;
  const n = scenes?.length ?? null;
  if (/\b(swap|switch|exchange|trade)\b/.test(t) && /\bscenes?\b|\bshots?\b/.test(t)) {
    const [a, b] = p.scenes;
    return a && b
      ? { target: 'order', op: 'swap', from: a, to: b }
      : 'Which two scenes? Say e.g. “swap scenes 3 and 4”.';
  }
  if (
    /\b(remove|delete|drop|cut|add|insert|another|extra)\b.*\bscenes?\b|\bscenes?\b.*\b(remove|delete|drop|cut)\b/.test(
      t,
    )
  )
    return (
      `A storyboard keeps its ${n ?? '5-7'} scenes (5-7 in all, 30 s), so I can’t add or remove one. ` +
      'Change a scene instead (e.g. “scene 3 at night”), regenerate it, or swap two.'
    );
  const move = /\b(?:move|put)\b/.test(t) && p.scenes[0];
  if (move) {
    const to = /\b(first|start|beginning|front)\b/.test(t)
      ? 1
      : /\b(last|end)\b/.test(t)
        ? n
        : (p.scenes[1] ?? Number(/\bto\s+(?:position\s+|place\s+)?(\d)\b/.exec(t)?.[1] ?? 0));
    if (to) return { target: 'order', op: 'move', from: p.scenes[0]!, to };
  }
  if (/\b(music|soundtrack|song|track|tune|beat)\b/.test(t)) {
    const tempo = SLOWER.test(t) ? 'slower' : FASTER.test(t) ? 'faster' : 'same';
    const note = trimValue(
      t
        .replace(
          /\b(new|the|a|some|music|soundtrack|song|track|tune|please|make|use|change|different|give me|can we have|i want)\b/g,
          ' ',
        )
        .replace(/[,;:]+/g, ' '),
    ).replace(/\s+/g, ' ');
    return { target: 'music', tempo, note: note || 'a new take' };
  }
  if (/\b(voice|voice-?over|narrat\w*)\b/.test(t)) return { target: 'voice', note: raw };
  if (/\b(16:9|1:1|4:5|square|landscape|horizontal|widescreen|format)\b/.test(t))
    return { target: 'format', note: raw };
  const brief = briefEdit(raw, p.quoted);
  if (brief) return brief;
  if (p.quoted[0]) {
    const text = p.quoted[0];
    if (/\b(end|ending|close|closing|cta|call to action|finish|final|last|slogan)\b/.test(t))
      return { target: 'on-screen', scene: 'end', text };
    const at = targetScene(t, p, scenes);
    if (at) return { target: 'on-screen', scene: at, text };
    return `Where should “${text}” go? Say e.g. “end with '${text}'” or “scene 2 says '${text}'”.`;
  }
  const seconds = /\b(\d{1,2})\s*(?:s|secs?|seconds?)\b/.exec(t);
  const longer = /\b(longer|slower)\b/.test(t);
  if (seconds || longer || /\b(shorter|quicker|snappier)\b/.test(t)) {
    const at = targetScene(t, p, scenes);
    if (!at || !scenes) return 'Which scene? Say e.g. “scene 3 shorter” or “shorter hook”.';
    const cur = scenes[at - 1]?.durationS;
    if (cur === undefined) return `This storyboard has ${scenes.length} scenes; there is no scene ${at}.`;
    return {
      target: 'scene',
      scene: at,
      changes: { durationS: seconds ? Number(seconds[1]) : cur + (longer ? 1 : -1) },
    };
  }
  const setting = SETTINGS.find((s) => s.match.test(t));
  if (setting) {
    if (/\b(all|every|each|everything|whole)\b/.test(t))
      return { target: 'all-scenes', append: { description: setting.phrase, stylePrompt: setting.look } };
    const at = targetScene(t, p, scenes);
    if (!at)
      return `Which scene should be ${setting.phrase}? Say e.g. “scene 2 ${setting.phrase}” or “all scenes ${setting.phrase}”.`;
    const cur = scenes?.[at - 1];
    if (!cur) return scenes ? `This storyboard has ${scenes.length} scenes; there is no scene ${at}.` : null;
    const description = `${cur.description.replace(TIME_PHRASES, '').replace(/[.\s]+$/, '')} ${setting.phrase}`;
    return {
      target: 'scene',
      scene: at,
      changes: { description, stylePrompt: `${setting.look}; ${cur.stylePrompt}` },
    };
  }
  const shows = /^scene\s+(\d)\s*(?:[:\-–]|should show|shows?)\s*(.+)$/i.exec(raw);
  if (shows)
    return { target: 'scene', scene: Number(shows[1]), changes: { description: trimValue(shows[2]!) } };
  const tone = /\b(?:make it|more|feel|sound)\s+(?:more\s+|a bit\s+|a little\s+)?([a-z]+)\b/.exec(t);
  const word = tone ? TONES[tone[1]!] : undefined;
  if (word)
    return {
      target: 'brief',
      field: 'tone',
      value: [word, ...ctx.brief.tone.filter((x) => x !== word)].slice(0, 6),
    };
  return CHANGE_WORDS.test(t) ? `I couldn’t tell what to change. ${HELP}` : null;
}

/**
 * The offline interpreter: deterministic rules for a documented subset (README "Edits in words"):
 * scene numbers, swaps and moves, quoted text, brief fields, tone and music mood words, time of
 * day and setting words. Anything else is "not a change" or a reason with examples.
 */
export function readEditOffline(text: string, ctx: EditContext): Interpreted {
  const raw = cleanLine(text).slice(0, 1500);
  const params = extractParams(raw, ctx.scenes?.length ?? null);
  const r = read(raw, ctx, params);
  if (r === null) return { kind: 'not-a-change' };
  if (typeof r === 'string') return { kind: 'cannot', reason: r };
  return { kind: 'edit', edit: { ...r, instruction: raw, params } as Edit };
}

export const interpretOffline: EditInterpreter = async (text, ctx) => readEditOffline(text, ctx);

export { HELP as EDIT_EXAMPLES };
