import path from 'node:path';
import { addCaptions, type CaptionStyle, DEFAULT_CAPTION_STYLE } from '../media/caption-layer.ts';
import type { ComposeVoice } from '../media/compose-graph.ts';
import { buildSrt } from '../media/srt.ts';
import type { TextLayer } from '../media/text-layer.ts';
import { type CaptionCue, captionCues } from '../voice/captions.ts';
import type { VoiceOver } from './voice.ts';

/**
 * What a voice-over adds to one compose: the captions on a laid-out text layer, the voice inputs
 * of the audio chain, the .srt text, and the part of the compose key they change. One entry
 * point for every compose of the same ad (each format lays out its own text layer and calls
 * this with it; a preview can call it with the same voice-over, nothing is spoken again).
 */
export interface VoiceParts {
  layer: TextLayer;
  voices: ComposeVoice[];
  cues: CaptionCue[];
  /** SubRip text, null without a voice-over (then the text layer is the caption). */
  srt: string | null;
  /** For the compose step's key; empty without a voice-over, so older compose ids stay. */
  key: unknown[];
}

export function voiceParts(
  voice: VoiceOver,
  layer: TextLayer,
  style: CaptionStyle = DEFAULT_CAPTION_STYLE,
): VoiceParts {
  const cues = captionCues(voice.lines);
  const voices = composeVoices(voice);
  return {
    layer: addCaptions(layer, cues, style),
    voices,
    cues,
    srt: cues.length ? buildSrt(cues) : null,
    key: voices.length ? [voices.map((v) => [path.basename(v.path), v.startS, v.tempo, v.playS])] : [],
  };
}

/** The voice-over's lines as compose mixes them (the same for every format). */
export function composeVoices(voice: VoiceOver): ComposeVoice[] {
  return voice.lines.map(({ path: p, startS, tempo, playS, loudness }) => ({
    path: p,
    startS,
    tempo,
    playS,
    loudness,
  }));
}
