import { createHash } from 'node:crypto';
import { z } from 'zod';
import { DEFAULT_FORMAT, FORMATS, type FormatName } from './media/formats.ts';
import { PROFILE_NAMES, type ProfileName } from './media/profiles.ts';
import { BriefSchema } from './schemas.ts';

/**
 * Everything a run needs to be recomputed deterministically. Revisions are bumped by
 * "regenerate" actions; step ids embed them, so only what depends on a change runs again.
 */
export const RunInputSchema = z.object({
  brief: BriefSchema,
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1),
  profile: z.enum(PROFILE_NAMES as [ProfileName, ...ProfileName[]]),
  maxBytes: z.number().int().positive().nullable(),
  imagesPerMood: z.number().int().min(1).max(4),
  moodsRev: z.number().int().min(0),
  moodChoice: z.number().int().min(0).max(2).nullable(),
  storyboardRev: z.number().int().min(0),
  /** Scene index (as a string key) -> how often that one scene was regenerated. */
  sceneRevs: z.record(z.string(), z.number().int().min(0)),
  /** `auto` runs (CLI) pick the first mood and approve on their own; `chat` runs wait for people. */
  mode: z.enum(['auto', 'chat']),
  /** Where the CLI copies the finished MP4 (auto runs only). */
  exportPath: z.string().nullable(),
  /** Who started the ad (steers it with the configured reviewers). */
  requester: z.string().default('cli'),
  /** Approvals of the storyboard revision on show; reset when it changes. */
  approvals: z.array(z.string()).default([]),
  approvalsRequired: z.number().int().min(1).max(20).default(1),
  /** The storyboard revision that reached its quorum: the one to render. */
  approvedRev: z.string().nullable().default(null),
  /** How often people pressed "Try again" after a failure: a new round of attempt ids each time. */
  retryRev: z.number().int().min(0).default(0),
  /** Set once delivery has begun: from then on a cancel is refused (the video is on its way). */
  deliveryStarted: z.boolean().default(false),
  /**
   * Frames to compose from the same clips, the first one delivered as the ad (formats.ts). The
   * chat's "More formats" adds the others after delivery; each is one more compose, never a clip.
   */
  formats: z
    .array(z.enum(FORMATS))
    .min(1)
    .max(FORMATS.length)
    .refine((f) => new Set(f).size === f.length, 'each format once')
    .default([DEFAULT_FORMAT]),
});
export type RunInput = z.infer<typeof RunInputSchema>;

export function newRunInput(
  brief: RunInput['brief'],
  opts: {
    seed?: number;
    profile?: ProfileName;
    maxBytes?: number | null;
    imagesPerMood?: number;
    mode?: RunInput['mode'];
    exportPath?: string | null;
    requester?: string;
    approvalsRequired?: number;
    formats?: FormatName[];
  } = {},
): RunInput {
  return RunInputSchema.parse({
    brief,
    seed: opts.seed ?? Math.floor(Math.random() * 2 ** 31),
    profile: opts.profile ?? 'final',
    maxBytes: opts.maxBytes ?? null,
    imagesPerMood: opts.imagesPerMood ?? 2,
    moodsRev: 0,
    moodChoice: null,
    storyboardRev: 0,
    sceneRevs: {},
    mode: opts.mode ?? 'chat',
    exportPath: opts.exportPath ?? null,
    requester: opts.requester ?? 'cli',
    approvals: [],
    approvalsRequired: opts.approvalsRequired ?? 1,
    approvedRev: null,
    retryRev: 0,
    deliveryStarted: false,
    formats: opts.formats ?? [DEFAULT_FORMAT],
  });
}

/** Keys that name what a step depends on; a changed key is a new step. */
export const moodKey = (i: RunInput) => `m${i.moodsRev}`;
export const chosenMoodKey = (i: RunInput) => `${moodKey(i)}.${i.moodChoice ?? 'x'}`;
export const storyboardKey = (i: RunInput) => `${chosenMoodKey(i)}-s${i.storyboardRev}`;
export const sceneRev = (i: RunInput, index: number) => i.sceneRevs[String(index)] ?? 0;
export const sceneKey = (i: RunInput, index: number) => `${storyboardKey(i)}-r${sceneRev(i, index)}`;

/** The storyboard card's revision: changes with the plan and with every scene regenerated. */
export const storyboardCardRev = (i: RunInput) =>
  `sb-${shortHash(JSON.stringify([storyboardKey(i), Object.entries(i.sceneRevs).sort()]))}`.slice(0, 11);

/** A stable 31-bit seed per step, so each step's randomness is reproducible. */
export function stepSeed(runSeed: number, stepId: string): number {
  return createHash('sha256').update(`${runSeed}:${stepId}`).digest().readUInt32BE(0) & 0x7fffffff;
}

export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}
