import { arrangeScenes } from './edits/overrides.ts';
import type { RunContext } from './engine.ts';
import type { RunInput } from './run-input.ts';
import {
  chosenMoodKey,
  moodKey,
  sceneClipKey,
  sceneImageKey,
  sceneKey,
  sceneRev,
  storyboardCardRev,
  storyboardKey,
  takeKey,
} from './run-input.ts';
import { type Mood, type Scene, type ScenePlan, sceneStarts } from './schemas.ts';
import { collected } from './steps/generate.ts';
import type { MoodBoard } from './steps/moods.ts';
import { type PreviewResult, previewStepId } from './steps/preview.ts';
import type { RenderResult } from './steps/render.ts';
import type { StoryboardScene } from './steps/storyboard.ts';
import type { RunRow } from './stores.ts';
import { versionCostUsd } from './version-cost.ts';
import { currentVersion, versionRev } from './versions.ts';

/**
 * Where an ad is. Derived from the run's state and its stored steps, never written: `moods` and
 * `storyboard` wait for people once their work is done, `render` and `deliver` never do.
 */
export type Phase = 'moods' | 'storyboard' | 'render' | 'deliver' | 'done' | 'cancelled' | 'failed';
export type WorkPhase = 'moods' | 'storyboard' | 'render' | 'deliver';

export interface RunView {
  runId: string;
  phase: Phase;
  /** The phase whose work failed or is running; equals `phase` outside `failed`. */
  workPhase: WorkPhase | null;
  /** True while the phase still has work to do (nobody needs to decide anything yet). */
  working: boolean;
  input: RunInput;
  /** Revision ids of the cards people act on; an action on another revision is stale. */
  moodsRev: string;
  storyboardRev: string;
  moods: MoodBoard[] | null;
  storyboard: StoryboardScene[] | null;
  render: RenderResult | null;
  /** The free animatic of the storyboard on show, once made. */
  preview: PreviewResult | null;
  /** A chat storyboard waits for people and its preview is not made yet: free work to do. */
  previewDue: boolean;
  /** The version being rendered or shown (v1, v2 …), its one-line change and (once made) cost. */
  version: { n: number; rev: string; what: string; costUsd: number | null };
  deliveredMessageId: string | null;
  error: string | null;
  errorCode: string | null;
  /** When the run row last changed: tells one failure from the next. */
  updatedAt: string;
}

/** Stored files of a generation step, whichever of its attempts made them. */
export async function collectedFiles(
  rc: RunContext,
  stepId: string,
  retryRev: number,
): Promise<string[] | undefined> {
  return (await collected(rc, stepId, retryRev))?.files.map((f) => f.path);
}

const musicSuffix = (i: RunInput) => (i.musicRev ? `/mu${i.musicRev}` : '');
/** Names the formats only past the default, so runs stored before formats keep their ids. */
const formatsKey = (i: RunInput) =>
  i.formats.length === 1 && i.formats[0] === '9x16' ? '' : `/${i.formats.join('+')}`;
export const renderStepId = (i: RunInput) =>
  `render/${i.approvedRev ?? storyboardCardRev(i)}/${chosenMoodKey(i)}/${i.profile}/${i.maxBytes ?? 'any'}` +
  `${takeKey(i)}${musicSuffix(i)}${formatsKey(i)}`;
export const deliverStepId = (i: RunInput) => `deliver/${renderStepId(i).slice('render/'.length)}`;

async function viewMoods(rc: RunContext, input: RunInput): Promise<MoodBoard[] | null> {
  const moods = await rc.peek<Mood[]>(`moods/${moodKey(input)}`);
  if (!moods) return null;
  const boards: MoodBoard[] = [];
  for (const [index, mood] of moods.entries()) {
    const images = await collectedFiles(rc, `mood-${index}/images/${moodKey(input)}`, input.retryRev);
    if (!images) return null;
    boards.push({ index, mood, images });
  }
  return boards;
}

async function viewStoryboard(rc: RunContext, input: RunInput): Promise<StoryboardScene[] | null> {
  if (input.moodChoice === null) return null;
  const plan = await rc.peek<ScenePlan>(`storyboard/${storyboardKey(input)}`);
  if (!plan) return null;
  const scenes: Scene[] = [];
  for (const [i, planned] of plan.scenes.entries()) {
    const rewritten =
      sceneRev(input, i) === 0 ? planned : await rc.peek<Scene>(`scene-${i}/text/${sceneKey(input, i)}`);
    if (!rewritten) return null;
    scenes.push(rewritten);
  }
  const arranged = arrangeScenes(input, scenes);
  const starts = sceneStarts(arranged.map((a) => a.scene));
  const out: StoryboardScene[] = [];
  for (const [index, { scene, source }] of arranged.entries()) {
    const imageId = `scene-${source}/image/${sceneImageKey(input, source)}`;
    const image = (await collectedFiles(rc, imageId, input.retryRev))?.[0];
    if (!image) return null;
    out.push({ index, source, scene, startS: starts[index] ?? 0, key: sceneClipKey(input, source), image });
  }
  return out;
}

/** The whole ad as people see it. Reads stored steps only: it can never start or pay for work. */
export async function viewRun(rc: RunContext, row: RunRow<RunInput>): Promise<RunView> {
  const input = row.input;
  const moods = await viewMoods(rc, input);
  const storyboard = await viewStoryboard(rc, input);
  const approved = input.approvedRev !== null;
  const render = approved ? ((await rc.peek<RenderResult>(renderStepId(input))) ?? null) : null;
  const delivered = approved ? await rc.peek<{ messageId: string | null }>(deliverStepId(input)) : undefined;
  let workPhase: WorkPhase;
  let working: boolean;
  if (approved) {
    workPhase = render ? 'deliver' : 'render';
    working = !delivered;
  } else if (input.moodChoice !== null) {
    workPhase = 'storyboard';
    working = !storyboard;
  } else {
    workPhase = 'moods';
    working = !moods;
  }
  let phase: Phase = workPhase;
  if (row.status === 'cancelled') phase = 'cancelled';
  else if (delivered) phase = 'done';
  else if (row.status === 'failed') phase = 'failed';
  const preview = storyboard ? ((await rc.peek<PreviewResult>(previewStepId(input))) ?? null) : null;
  const n = currentVersion(input);
  return {
    runId: row.id,
    phase,
    workPhase: phase === 'done' || phase === 'cancelled' ? null : workPhase,
    working: phase === workPhase && working,
    input,
    moodsRev: moodKey(input),
    storyboardRev: storyboardCardRev(input),
    moods,
    storyboard,
    render,
    preview,
    previewDue:
      phase === 'storyboard' && !working && input.mode === 'chat' && storyboard !== null && !preview,
    version: {
      n,
      rev: versionRev(input),
      what: input.versionNote ?? (n === 1 ? 'First render' : 'Rendered again'),
      costUsd: render ? await versionCostUsd(rc, input, render) : null,
    },
    deliveredMessageId: delivered?.messageId ?? null,
    error: row.error,
    errorCode: row.errorCode ?? null,
    updatedAt: row.updatedAt,
  };
}
