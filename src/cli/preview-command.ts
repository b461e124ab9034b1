import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors.ts';
import type { App } from '../main.ts';
import type { PreviewResult } from '../pipeline/steps/preview.ts';

/**
 * `adgen render --preview-only OUT.mp4`: the run goes as far as its storyboard (the first mood, as
 * an auto run picks it), then only the free animatic is made and copied to OUT. Nothing paid for
 * clips or music; run it again with `--out` (a new run) for the real video.
 */
export async function drivePreviewOnly(app: App, runId: string, out: string): Promise<PreviewResult> {
  return app.leases.withLease(runId, async () => {
    const { workflow } = app;
    let v = await workflow.advance(runId);
    if (v.phase === 'moods' && !v.working) {
      await workflow.decide(runId, 'cli', { kind: 'mood.choose', rev: v.moodsRev, index: 0 });
      v = await workflow.advance(runId);
    }
    if (v.phase !== 'storyboard' || v.working)
      throw new AppError(v.errorCode ?? 'run_failed', v.error ?? `run ${runId} stopped in ${v.phase}`);
    const preview = await workflow.preview(runId);
    const target = path.resolve(out);
    await mkdir(path.dirname(target), { recursive: true });
    await copyFile(preview.path, target);
    return { ...preview, path: target };
  });
}

export function formatPreview(p: PreviewResult, runId: string, spendUsd: number): string {
  return [
    `preview:  ${p.path}`,
    `size:     ${p.width}x${p.height} · ${p.durationS.toFixed(2)} s · ${(p.sizeBytes / 1024).toFixed(0)} KiB`,
    `music:    ${p.music === 'track' ? 'the run’s own track' : 'placeholder bed (the real track is paid)'}`,
    `made in:  ${p.seconds.toFixed(2)} s from the storyboard`,
    `spend:    $${spendUsd.toFixed(3)} (storyboard images only)`,
    `run:      ${runId}`,
  ].join('\n');
}
