import { FORMATS, type FormatName } from '../media/formats.ts';
import type { RunInput } from '../run-input.ts';
import { VoiceNameSchema } from '../run-input.ts';

type Applied = { ok: true; next: RunInput; summary: string } | { ok: false; reason: string };

/** Words for each format, as people say them ("square", "16:9", "landscape"). */
const FORMAT_WORDS: [FormatName, RegExp][] = [
  ['16x9', /\b(16\s*[:x×/]\s*9|landscape|horizontal|widescreen|youtube)\b/],
  ['1x1', /\b(1\s*[:x×/]\s*1|square)\b/],
  ['4x5', /\b(4\s*[:x×/]\s*5|portrait feed|feed post)\b/],
  ['9x16', /\b(9\s*[:x×/]\s*16|vertical|stories|reels|tiktok|shorts)\b/],
];
const label = (f: FormatName) => f.replace('x', ':');

/**
 * "also a square one", "add 16:9", "only 4:5": the formats the next render makes, from the same
 * clips (a new format is one more compose, never a clip paid again). "only" replaces the list.
 */
export function applyFormatEdit(i: RunInput, note: string): Applied {
  const t = note.toLowerCase();
  const named = FORMAT_WORDS.filter(([, re]) => re.test(t)).map(([f]) => f);
  if (!named.length)
    return { ok: false, reason: `Which format? Say 9:16, 4:5, 1:1 (square) or 16:9 (landscape).` };
  const only = /\b(only|just|instead)\b/.test(t);
  const drop = /\b(no|without|remove|drop)\b/.test(t);
  const current = i.formats;
  let next: FormatName[];
  if (drop) next = current.filter((f) => !named.includes(f));
  else if (only) next = named;
  else next = [...current, ...named.filter((f) => !current.includes(f))];
  next = FORMATS.filter((f) => next.includes(f));
  if (!next.length) return { ok: false, reason: 'An ad needs at least one format; 9:16 stays.' };
  if (JSON.stringify(next) === JSON.stringify(current))
    return {
      ok: false,
      reason: `This ad already renders ${current.map(label).join(', ')}; nothing to change.`,
    };
  return {
    ok: true,
    next: { ...i, formats: next, approvals: [], approvedRev: null },
    summary: `Formats → ${next.map(label).join(', ')}, composed from the same clips (no clip is paid again).`,
  };
}

/**
 * "no voice-over", "voice-over off", "use the voice nova": off, or a named voice of the speech
 * provider. A name the provider does not have makes the ad without voice and says so (TTS
 * failures never fail a render), so only the name's shape is checked here.
 */
export function applyVoiceEdit(i: RunInput, note: string, defaultVoice: string | null): Applied {
  const t = note.toLowerCase();
  const off = /\b(no|without|off|remove|drop|mute|silent)\b/.test(t);
  const named = /\bvoice\s+(?:to\s+|called\s+|named\s+)?["“']?([a-z0-9_-]{2,40})["”']?\s*$/i.exec(
    note.trim(),
  )?.[1];
  const wanted = off ? null : named && !/^(over|overs|on)$/i.test(named) ? named.toLowerCase() : defaultVoice;
  if (!off && !wanted)
    return { ok: false, reason: 'No speech provider is set up here, so this ad cannot have a voice-over.' };
  if (wanted && !VoiceNameSchema.safeParse(wanted).success)
    return {
      ok: false,
      reason: 'That voice name is not one a speech provider uses (letters, digits, - or _).',
    };
  if (wanted === i.voice) return { ok: false, reason: 'The voice-over is already that; nothing to change.' };
  return {
    ok: true,
    next: { ...i, voice: wanted, voiceRev: i.voiceRev + 1, approvals: [], approvedRev: null },
    summary: wanted
      ? `Voice-over → ${wanted}: the lines are spoken again, the clips stay.`
      : 'Voice-over off: the on-screen words are the captions; the clips stay.',
  };
}
