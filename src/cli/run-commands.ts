import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../errors.ts';
import type { App } from '../main.ts';
import { srtPathFor } from '../pipeline/delivery/file-export.ts';
import { LeaseHeldError } from '../pipeline/lease.ts';
import { type FormatName, formatFilePath } from '../pipeline/media/formats.ts';
import type { ProfileName } from '../pipeline/media/profiles.ts';
import { newRunInput, type RunInput, VoiceNameSchema } from '../pipeline/run-input.ts';
import type { Brief } from '../pipeline/schemas.ts';
import { PAUSE_CODES } from '../pipeline/spend.ts';
import type { createTerminalProgress } from './progress-bar.ts';

export const newRunId = () => `run-${randomBytes(5).toString('hex')}`;

export interface AutoRunResult {
  runId: string;
  path: string;
  durationS: number;
  sizeBytes: number;
  scenes: number;
  spendUsd: number;
  /** The captions file beside the video, when the ad has a voice-over. */
  srtPath: string | null;
  voice: string | null;
  notices: string[];
  /** Every format written, the first at `path` (`--formats`). */
  files: { format: FormatName; path: string }[];
}

/**
 * Drives an `auto` run: the CLI is a driver like the bot, deciding for the person at the terminal
 * (the first mood, then approval) whenever the workflow waits for someone. It holds the run's
 * lease for the whole drive (another process cannot slip in between phases); safe to call again
 * to resume after a crash, and a failed run is retried by asking for it. When another process
 * holds the lease: refuse, naming it, or with `wait` say so and wait for it.
 */
export async function driveAutoRun(
  app: App,
  runId: string,
  progress: ReturnType<typeof createTerminalProgress>,
  opts: { wait?: boolean } = {},
): Promise<AutoRunResult> {
  const drive = () => driveHeld(app, runId, progress);
  try {
    return await app.leases.withLease(runId, drive);
  } catch (err) {
    if (!(err instanceof LeaseHeldError) || !opts.wait) throw err;
    console.error(`${err.message}; waiting for it`);
    return app.leases.withLease(runId, drive, { wait: true });
  }
}

async function driveHeld(
  app: App,
  runId: string,
  progress: ReturnType<typeof createTerminalProgress>,
): Promise<AutoRunResult> {
  const { workflow } = app;
  let v = await workflow.view(runId);
  if (v.input.mode !== 'auto') {
    throw new AppError('not_auto', `run ${runId} belongs to a chat thread; continue it there (adgen bot)`);
  }
  if (v.phase === 'cancelled') throw new AppError('cancelled', `run ${runId} was cancelled`);
  // A run paused by spend control continues where it stopped; a failed one is tried again.
  if (v.phase === 'failed')
    await workflow.decide(runId, 'cli', {
      kind: PAUSE_CODES.has(v.errorCode ?? '') ? 'render.continue' : 'render.retry',
    });
  for (;;) {
    v = await workflow.advance(runId);
    if (v.phase === 'moods' && !v.working)
      await workflow.decide(runId, 'cli', { kind: 'mood.choose', rev: v.moodsRev, index: 0 });
    else if (v.phase === 'storyboard' && !v.working)
      await workflow.decide(runId, 'cli', { kind: 'storyboard.approve', rev: v.storyboardRev });
    else break;
  }
  progress.mark('done');
  progress.done();
  if (v.phase === 'cancelled') throw new AppError('cancelled', `run ${runId} was cancelled`);
  if (v.phase !== 'done' || !v.render)
    throw new AppError(v.errorCode ?? 'run_failed', v.error ?? `run ${runId} stopped in ${v.phase}`);
  const r = v.render;
  const out = v.input.exportPath;
  const files = (r.formats ?? []).map((f, i) => ({
    format: f.format,
    path: !out ? f.path : i === 0 ? out : formatFilePath(out, f.format),
  }));
  return {
    runId,
    files,
    path: out ?? r.path,
    durationS: r.durationS,
    sizeBytes: r.sizeBytes,
    scenes: r.scenes,
    spendUsd: await app.runs.spendUsd(runId),
    srtPath: r.srtPath ? (v.input.exportPath ? srtPathFor(v.input.exportPath) : r.srtPath) : null,
    voice: r.voice ?? null,
    notices: r.notices ?? [],
  };
}

/**
 * `--voice NAME|none`: none is an ad without voice-over; no flag is the speech provider's
 * configured voice, or none without a provider. A name the provider lacks is refused here,
 * before anything is paid for.
 */
export function voiceFor(app: Pick<App, 'providers'>, flag: string | undefined): string | null {
  const tts = app.providers.tts;
  if (flag === undefined) return tts?.defaultVoice ?? null;
  if (flag === 'none') return null;
  const name = VoiceNameSchema.safeParse(flag);
  if (!name.success) throw new AppError('usage', `--voice takes a voice name or "none" (got "${flag}")`);
  if (!tts)
    throw new AppError(
      'usage',
      `--voice ${flag} needs a speech provider: set ADGEN_TTS_PROVIDER=openai or replicate (README "Voice-over")`,
    );
  if (!tts.voices.includes(flag))
    throw new AppError('usage', `${tts.model} has no voice "${flag}"; use one of: ${tts.voices.join(', ')}`);
  return flag;
}

export async function startAutoRun(
  app: App,
  brief: Brief,
  opts: {
    profile: ProfileName;
    maxBytes: number | null;
    out: string;
    seed?: number;
    brand?: RunInput['brand'];
    voice?: string | null;
    formats?: FormatName[];
  },
): Promise<string> {
  const input = newRunInput(brief, {
    voice: opts.voice ?? null,
    profile: opts.profile,
    maxBytes: opts.maxBytes,
    mode: 'auto',
    exportPath: path.resolve(opts.out),
    seed: opts.seed,
    brand: opts.brand ?? null,
    formats: opts.formats,
    requester: cliUser(),
  });
  return app.workflow.createRun(newRunId(), input);
}

/**
 * Who runs the CLI, for spend control's per-user budget: the machine's user (`cli:alice`), so two
 * people sharing a data folder or database each have their own limit. Plain `cli` when unknown.
 */
export function cliUser(): string {
  try {
    const name = os
      .userInfo()
      .username.replace(/[^\w.-]/g, '')
      .slice(0, 40);
    return name ? `cli:${name}` : 'cli';
  } catch {
    return 'cli';
  }
}

export function formatResult(r: AutoRunResult, timings: [string, number][], totalS: number): string {
  const lines = [
    `video:    ${r.path}`,
    `duration: ${r.durationS.toFixed(2)} s`,
    `size:     ${(r.sizeBytes / 1024 / 1024).toFixed(2)} MiB (${r.sizeBytes} bytes)`,
    `scenes:   ${r.scenes}`,
    `spend:    $${r.spendUsd.toFixed(3)}`,
    `voice:    ${r.voice ?? 'none'}${r.srtPath ? ` · captions ${r.srtPath}` : ''}`,
    ...r.notices.map((n) => `notice:   ${n}`),
    ...r.files.slice(1).map((f) => `${`${f.format}:`.padEnd(10)}${f.path}`),
    `run:      ${r.runId}`,
    `timings:  ${timings.map(([s, t]) => `${s} ${t.toFixed(1)}s`).join(', ')} (total ${totalS.toFixed(1)}s)`,
  ];
  return lines.join('\n');
}
