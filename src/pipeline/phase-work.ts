import { AppError, CancelledError } from '../errors.ts';
import type { RunScope } from './env.ts';
import type { Pipeline } from './pipeline.ts';
import { type RenderResult, render, renderFilesHere } from './steps/render.ts';
import { deliverStepId, type RunView, renderStepId } from './view.ts';
import type { WorkflowDeps } from './workflow.ts';

/**
 * The work of each phase as the workflow orders it (workflow.ts decides which phase is due):
 * moods, storyboard, render, and delivery with its checks (not cancelled, still the version on
 * show, the video's files on this machine).
 */
export function phaseWork(deps: WorkflowDeps, pipeline: Pipeline) {
  /**
   * The render's files on this machine. Workers share no disk (issue 11): when another worker
   * rendered the run and died before posting it, this one composes the video again from the
   * stored clips (re-collected, not paid again) under its own step, keeping the render's as it is.
   */
  async function videoHere(s: RunScope, stored: RenderResult): Promise<RenderResult> {
    if (await renderFilesHere(stored)) return stored;
    deps.progress.report({
      runId: s.rc.runId,
      stage: 'compose',
      fraction: 0.7,
      message: 'The video was made on another worker: composing it again here from the stored clips…',
    });
    return s.rc.step(`${renderStepId(s.input)}/here`, () => render(s), { reusable: renderFilesHere });
  }

  async function workOn(v: RunView): Promise<void> {
    const id = v.runId;
    const note = (stage: 'moods' | 'storyboard' | 'deliver', message: string) =>
      deps.progress.report({ runId: id, stage, fraction: stage === 'deliver' ? 1 : 0, message });
    switch (v.workPhase) {
      case 'moods':
        note('moods', 'Planning three mood directions and drawing their samples…');
        await pipeline.moodBoards(id);
        return;
      case 'storyboard':
        note('storyboard', 'Planning the storyboard and drawing each scene…');
        await pipeline.storyboard(id);
        return;
      case 'render':
        await pipeline.work(id, 'running', (s) => s.rc.step(renderStepId(s.input), () => render(s)));
        return;
      case 'deliver': {
        if (!(await deps.decisions.startDelivery(id))) throw new CancelledError();
        const stored = v.render;
        if (!stored) throw new AppError('not_ready', 'there is no video to deliver yet');
        note('deliver', 'Posting the video…');
        const video = await pipeline.work(id, 'running', async (s) => {
          // The version this delivery was for was cancelled back to the finished one: not ours to post.
          if (deliverStepId(s.input) !== deliverStepId(v.input)) throw new CancelledError();
          if (await s.rc.peek(deliverStepId(s.input))) return stored;
          const here = await videoHere(s, stored);
          await s.rc.step(deliverStepId(s.input), ({ signal }) => deps.delivery.deliver(v, here, signal), {
            attempts: 3,
          });
          return here;
        });
        await deps.runs.setStatus(id, 'succeeded', { outputPath: video.path });
        return;
      }
    }
  }

  return workOn;
}
