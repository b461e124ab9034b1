import path from 'node:path';
import { CancelledError } from '../../errors.ts';
import type { RunScope } from '../env.ts';
import { fileDigest } from '../hash-file.ts';
import { type AudioGains, measureAudio } from '../media/audio-calibrate.ts';
import type { AudioPlan } from '../media/compose-graph.ts';
import { shortHash } from '../run-input.ts';
import type { StoryboardScene } from './storyboard.ts';
import type { VoiceOver } from './voice.ts';
import { composeVoices } from './voice-layer.ts';

/** What every format's compose is handed: the loudness of the music and the limiter's make-up. */
export type RenderAudioGains = Pick<AudioGains, 'musicLoudness' | 'audioMakeupDb'>;

/**
 * The audio measurements of a render (music loudness and loop length, the make-up the limiter
 * calls for), as a durable step run as soon as the music and the voice-over exist: they are
 * ready long before the clips, so compose() no longer measures on its critical path. The audio
 * chain does not depend on the format, so every format gets the same gains. Stored, so a
 * restart does not measure again; the step id names the music's content and the voice lines'
 * placement, so a new track or a re-spoken line is measured anew. Never fails the render:
 * without gains (a measurement that failed) compose() measures itself, as it always did.
 */
export async function renderAudio(
  scope: RunScope,
  scenes: readonly StoryboardScene[],
  music: Promise<string>,
  voice: Promise<VoiceOver>,
): Promise<RenderAudioGains | undefined> {
  const sources = await Promise.all([music, voice]).catch(() => undefined);
  // The music or the voice step failed: render reports that failure, not this one.
  if (!sources) return undefined;
  const [musicPath, spoken] = sources;
  const plan: AudioPlan = {
    clips: scenes.map((s) => ({ slotS: s.scene.durationS })),
    musicPath,
    voices: composeVoices(spoken),
  };
  try {
    const { sha256 } = await fileDigest(musicPath);
    const lines = plan.voices!.map((v) => [path.basename(v.path), v.startS, v.tempo, v.playS]);
    const key = shortHash(JSON.stringify([sha256, plan.clips.map((c) => c.slotS), lines]));
    return await scope.rc.step(`audio-gains/${key}`, async ({ signal }) => {
      // A chain of processes the compose waits for: ahead of the clip checks queued for a slot.
      const { bins } = scope.env;
      const first: typeof bins = {
        ...bins,
        limit: bins.limit && ((task) => bins.limit!(task, { first: true })),
      };
      const gains = await measureAudio(plan, first, signal);
      return {
        ...(gains.musicLoudness ? { musicLoudness: gains.musicLoudness } : {}),
        audioMakeupDb: gains.audioMakeupDb ?? 0,
      };
    });
  } catch (err) {
    if (err instanceof CancelledError || scope.rc.signal.aborted) throw err;
    return undefined;
  }
}
