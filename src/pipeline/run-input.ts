import { createHash } from 'node:crypto';
import { z } from 'zod';
import { BrandKitSchema } from './brand.ts';
import { SceneEditSchema, visualEdit } from './edits/overrides.ts';
import { DEFAULT_FORMAT, FORMATS, type FormatName } from './media/formats.ts';
import { PROFILE_NAMES, type ProfileName } from './media/profiles.ts';
import { BriefSchema } from './schemas.ts';
import { VersionSchema } from './versions.ts';

/** A provider's voice name as people type it (`--voice coral`): a short plain token. */
export const VoiceNameSchema = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'a voice name like coral');

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
  /** Whose budget the ad spends with its requester's (Slack team, Discord guild, `local`). */
  workspace: z.string().default('local'),
  /** Approvals of the storyboard revision on show; reset when it changes. */
  approvals: z.array(z.string()).default([]),
  approvalsRequired: z.number().int().min(1).max(20).default(1),
  /** The storyboard revision that reached its quorum: the one to render. */
  approvedRev: z.string().nullable().default(null),
  /** How often people pressed "Try again" after a failure: a new round of attempt ids each time. */
  retryRev: z.number().int().min(0).default(0),
  /** Set once delivery has begun: from then on a cancel is refused (the video is on its way). */
  deliveryStarted: z.boolean().default(false),
  /** Changes made in words, per planned scene (edits/overrides.ts): applied on top of the plan. */
  sceneEdits: z.record(z.string(), SceneEditSchema).default({}),
  /** Display position -> plan index after "swap scenes 3 and 4"; null = the plan's order. */
  sceneOrder: z.array(z.number().int().min(0).max(6)).nullable().default(null),
  /** Bumped by a music edit (and "Change music"): only the music step is made again. */
  musicRev: z.number().int().min(0).default(0),
  /** What people asked of the music ("calmer"), added to the music prompt. */
  musicNote: z.string().max(200).nullable().default(null),
  /** Tempo asked for in words; null = the chosen mood's. */
  musicTempoBpm: z.number().int().min(60).max(160).nullable().default(null),
  /**
   * The brand kit as it was when the run started (a copy, not a reference): changing or clearing
   * the kit later never changes an ad already being made. Null: no kit.
   */
  brand: BrandKitSchema.nullable().default(null),
  /**
   * The voice-over's voice (one of the speech provider's), or null for an ad without one.
   * Runs stored before voice-overs existed have none.
   */
  voice: VoiceNameSchema.nullable().default(null),
  /**
   * How often people changed the voice: part of the storyboard card's revision, so turning the
   * voice off and on again is a new card (the old one's clicks are stale), never an old one.
   */
  voiceRev: z.number().int().min(0).default(0),
  /** "New take": same storyboard, new clip seeds; part of every clip's step id and seed. */
  takeRev: z.number().int().min(0).default(0),
  /** Every render people asked for after the first, oldest first (versions.ts). */
  versions: z.array(VersionSchema).default([]),
  /** What the version being rendered or shown changed ("Music changed"); null for v1. */
  versionNote: z.string().max(200).nullable().default(null),
  /**
   * The ad as it was when last finished, kept while work started from it (a new version, More
   * formats) is under way: cancelling that work goes back to it instead of cancelling the ad.
   * Stored without its own `finished` (no nesting); parsed with this schema when used. Null:
   * no finished state yet, or the finished state is the one on show.
   */
  finished: z.record(z.string(), z.unknown()).nullable().default(null),
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
    workspace?: string;
    approvalsRequired?: number;
    brand?: RunInput['brand'];
    voice?: string | null;
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
    workspace: opts.workspace ?? 'local',
    approvals: [],
    approvalsRequired: opts.approvalsRequired ?? 1,
    approvedRev: null,
    retryRev: 0,
    deliveryStarted: false,
    sceneEdits: {},
    sceneOrder: null,
    musicRev: 0,
    musicNote: null,
    musicTempoBpm: null,
    brand: opts.brand ?? null,
    voice: opts.voice ?? null,
    voiceRev: 0,
    takeRev: 0,
    versions: [],
    versionNote: null,
    finished: null,
    formats: opts.formats ?? [DEFAULT_FORMAT],
  });
}

/** Keys that name what a step depends on; a changed key is a new step. */
export const moodKey = (i: RunInput) => `m${i.moodsRev}`;
export const chosenMoodKey = (i: RunInput) => `${moodKey(i)}.${i.moodChoice ?? 'x'}`;
export const storyboardKey = (i: RunInput) => `${chosenMoodKey(i)}-s${i.storyboardRev}`;
export const sceneRev = (i: RunInput, index: number) => i.sceneRevs[String(index)] ?? 0;
export const sceneKey = (i: RunInput, index: number) => `${storyboardKey(i)}-r${sceneRev(i, index)}`;
/** Suffixes only when non-zero, so runs stored before takes and music changes keep their step ids. */
export const takeKey = (i: Pick<RunInput, 'takeRev'>) => (i.takeRev ? `/t${i.takeRev}` : '');
export const musicKey = (i: RunInput) => `${chosenMoodKey(i)}${i.musicRev ? `/mu${i.musicRev}` : ''}`;

/** A scene's picture: its text key plus a hash of the visual fields changed in words. */
export function sceneImageKey(i: RunInput, index: number): string {
  const visual = visualEdit(i.sceneEdits[String(index)]);
  return visual ? `${sceneKey(i, index)}-v${shortHash(canonical(visual)).slice(0, 8)}` : sceneKey(i, index);
}
/** A scene's clip: its picture plus its length when an edit changed it (the clip is that long). */
export function sceneClipKey(i: RunInput, index: number): string {
  const d = i.sceneEdits[String(index)]?.durationS;
  return d === undefined ? sceneImageKey(i, index) : `${sceneImageKey(i, index)}-d${d}`;
}

/** JSON with sorted keys: equal edits give equal revisions whatever order they were written in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}

/**
 * The storyboard card's revision: changes with the plan, with every scene regenerated and with
 * every edit in words. Runs without edits keep the revision they always had.
 */
export const storyboardCardRev = (i: RunInput) => {
  const edited = Object.keys(i.sceneEdits).length > 0 || i.sceneOrder !== null || i.musicRev > 0;
  // Only once changed, so runs stored before voice-overs keep their card revision; the voice
  // a run starts with is part of its input, which every step below the card already names.
  const voice = i.voiceRev ? [`voice:${i.voiceRev}:${i.voice ?? 'none'}`] : [];
  const extra = edited
    ? [canonical(i.sceneEdits), i.sceneOrder, i.musicRev, i.musicNote, i.musicTempoBpm]
    : [];
  return `sb-${shortHash(JSON.stringify([storyboardKey(i), Object.entries(i.sceneRevs).sort(), ...extra, ...voice]))}`.slice(
    0,
    11,
  );
};

/** A stable 31-bit seed per step, so each step's randomness is reproducible. */
export function stepSeed(runSeed: number, stepId: string): number {
  return createHash('sha256').update(`${runSeed}:${stepId}`).digest().readUInt32BE(0) & 0x7fffffff;
}

export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}
