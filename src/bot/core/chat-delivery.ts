import type { RunView } from '../../pipeline/view.ts';
import type { DeliveryPort } from '../../pipeline/workflow.ts';
import { deliveryComment, formatComment } from './card-builders.ts';
import type { ThreadCtx } from './context.ts';
import { deliverOnce, deliveryKey } from './delivery.ts';
import { versionLine } from './video-cards.ts';

/**
 * The bot's side of the workflow's delivery step: post the video into the run's thread once,
 * across crashes (delivery.ts: an intent with a nonce, looked for in the thread before posting
 * again). The workflow has already refused a cancelled run and flagged delivery as begun.
 */
export function chatDelivery(threadOf: (runId: string) => Promise<ThreadCtx | undefined>): DeliveryPort {
  return {
    async deliver(view: RunView, video) {
      const t = await threadOf(view.runId);
      if (!t) throw new Error(`run ${view.runId} has no chat thread to post to`);
      const product = view.input.brief.product;
      const n = view.version.n;
      const sent = await deliverOnce({
        log: t.deps.deliveries,
        runId: view.runId,
        // Each version is its own delivery: v1 keeps the key runs had before versions existed.
        key: deliveryKey(n),
        adapter: t.adapter,
        thread: t.ref,
        file: {
          path: video.path,
          label: product,
          title: `Ad: ${product}`.slice(0, 100),
          comment: `${deliveryComment(video, await t.deps.workflow.spendUsd(view.runId))}\n${versionLine(view)}`,
          // The captions go with the video, in the same post.
          ...(video.srtPath ? { extras: [video.srtPath] } : {}),
        },
        mayStart: () => true,
      });
      // Further formats ("More formats"): each on its own key, intent and nonce, so a retry or a
      // restart posts only the ones not yet in the thread. The first is the ad delivered above,
      // with the captions (.srt) that every format shares.
      for (const f of (video.formats ?? []).slice(1)) {
        const ratio = f.format.replace('x', ':');
        await deliverOnce({
          log: t.deps.deliveries,
          runId: view.runId,
          key: deliveryKey(n, f.format),
          adapter: t.adapter,
          thread: t.ref,
          file: {
            path: f.path,
            label: `${product} ${f.format}`,
            title: `Ad: ${product} (${ratio})`.slice(0, 100),
            comment: formatComment(f),
          },
          mayStart: () => true,
        });
      }
      return { messageId: sent.status === 'refused' ? null : sent.messageId };
    },
  };
}
