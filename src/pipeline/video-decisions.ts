import { PROFILES } from './media/profiles.ts';
import type { RunInput } from './run-input.ts';
import { clipSize } from './steps/render.ts';
import { describeChange } from './versions.ts';
import { deliverStepId, type RunView, renderStepId } from './view.ts';

export type VideoDecisionKind = 'video.new_take' | 'video.change_music' | 'video.final';

type VideoVerdict =
  | { ok: true; next: RunInput; status: 'waiting' }
  | { ok: false; refusal: 'stale' | 'busy' | 'invalid' | 'wrong_phase'; message: string };

/** Final from a draft re-composes the same clips only when both profiles generate the same clips. */
export function finalReusesClips(profile: RunInput['profile']): boolean {
  const from = PROFILES[profile];
  const to = PROFILES.final;
  const a = clipSize(from);
  const b = clipSize(to);
  return a.width === b.width && a.height === b.height && from.fps === to.fps;
}

function change(i: RunInput, kind: VideoDecisionKind): RunInput {
  if (kind === 'video.new_take') return { ...i, takeRev: i.takeRev + 1 };
  if (kind === 'video.change_music') return { ...i, musicRev: i.musicRev + 1 };
  return { ...i, profile: 'final' };
}

/**
 * Pure: an action on a delivered version (its video card, revision `v<n>`) makes the next version.
 * The version on show moves into the run's history with where its render and delivery are, so
 * its file and message stay; the new one is rendered and delivered under its own step ids.
 */
export function judgeVideo(v: RunView, d: { kind: VideoDecisionKind; rev: string }): VideoVerdict {
  const i = v.input;
  const latest = v.version.rev;
  if (d.rev !== latest)
    return {
      ok: false,
      refusal: 'stale',
      message: `Those buttons belong to ${d.rev}; ${latest} is the latest version. Use the buttons under ${latest}.`,
    };
  if (v.phase === 'render' || v.phase === 'deliver' || v.working)
    return { ok: false, refusal: 'busy', message: `${latest} is still being made; one moment.` };
  if (v.phase !== 'done')
    return { ok: false, refusal: 'wrong_phase', message: 'There is no finished video to change yet.' };
  if (d.kind === 'video.final') {
    if (i.profile === 'final')
      return { ok: false, refusal: 'invalid', message: `${latest} is already at final quality.` };
    if (!finalReusesClips(i.profile)) {
      const { width, height } = clipSize(PROFILES[i.profile]);
      return {
        ok: false,
        refusal: 'invalid',
        message:
          `Final quality needs clips at 720x1280; this ${i.profile} video's clips are ${width}x${height}, ` +
          'so every clip would be paid for again. Start a new ad at final quality for that.',
      };
    }
  }
  const changed = change(i, d.kind);
  return {
    ok: true,
    status: 'waiting',
    next: { ...changed, ...nextVersion(v, describeChange(i, changed)), deliveryStarted: false },
  };
}

/**
 * The version on show moves into the run's history with where its render and delivery are (its
 * file and message stay); `what` is the next version's one line of what changes.
 */
export function nextVersion(v: RunView, what: string): Pick<RunInput, 'versions' | 'versionNote'> {
  const i = v.input;
  const past = {
    n: v.version.n,
    what: v.version.what,
    renderStep: renderStepId(i),
    deliverStep: deliverStepId(i),
  };
  return { versions: [...i.versions, past], versionNote: what.slice(0, 200) };
}
