import path from 'node:path';
import type { RunView } from '../../pipeline/view.ts';
import type { DeliveryPort } from '../../pipeline/workflow.ts';
import { deliveryComment } from './card-builders.ts';
import type { ThreadCtx } from './context.ts';

/** The bot's side of the workflow's delivery step: upload the video into the run's thread. */
export function chatDelivery(threadOf: (runId: string) => ThreadCtx | undefined): DeliveryPort {
  return {
    async deliver(view: RunView, video) {
      const t = threadOf(view.runId);
      if (!t) throw new Error(`run ${view.runId} has no chat thread to post to`);
      await t.adapter.upload(t.ref, {
        path: video.path,
        filename: `adgen-${path.basename(video.path)}`,
        title: `Ad: ${view.input.brief.product}`.slice(0, 100),
        comment: deliveryComment(video, t.deps.workflow.spendUsd(view.runId)),
      });
      return { messageId: null };
    },
  };
}
