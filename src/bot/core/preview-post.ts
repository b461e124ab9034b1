import type { PreviewResult } from '../../pipeline/steps/preview.ts';
import type { RunView } from '../../pipeline/view.ts';
import type { ThreadCtx } from './context.ts';
import { deliverOnce } from './delivery.ts';

function previewComment(p: PreviewResult): string {
  const music =
    p.music === 'track' ? 'the music' : 'a placeholder music bed (the real track is made when you approve)';
  return (
    `▶️ Free preview of this storyboard: a ${p.durationS.toFixed(1)} s animatic of the scene images ` +
    `with their on-screen words and ${music}${p.voice ? ', with the voice-over' : ''}, timed like the video. ` +
    'Nothing was paid for it; the real clips are made only after approval.'
  );
}

/**
 * Uploads the storyboard's free preview into the thread, exactly once per preview key across
 * crashes (the delivery intent, with a nonce in the file name), from the machine its file is on.
 */
export async function uploadPreview(t: ThreadCtx, v: RunView & { preview: PreviewResult }): Promise<string> {
  const p = v.preview;
  const product = v.input.brief.product;
  const sent = await deliverOnce({
    log: t.deps.deliveries,
    runId: v.runId,
    key: `preview/${p.key}`,
    adapter: t.adapter,
    thread: t.ref,
    file: {
      path: p.path,
      label: `preview ${product}`,
      title: `Preview: ${product}`.slice(0, 100),
      comment: previewComment(p),
    },
    mayStart: () => true,
  });
  if (sent.status === 'refused') throw new Error('the preview upload was abandoned');
  return sent.messageId;
}

/**
 * Shows the storyboard's free preview once per card revision: the thread's card bookkeeping
 * stops a second post from this process. With a durable queue the worker that made the preview
 * uploaded it (run-jobs.ts: the file is on its disk, not on this lane's machine); the lane only
 * records it, once that upload is done.
 */
export async function postPreview(t: ThreadCtx, v: RunView): Promise<void> {
  const p = v.preview;
  if (!p) return;
  if (t.deps.jobs?.durable && (await t.deps.deliveries.get(v.runId, `preview/${p.key}`))?.status !== 'done')
    return;
  await t.uploadOnce(`preview:${p.key}`, () => uploadPreview(t, { ...v, preview: p }));
}
