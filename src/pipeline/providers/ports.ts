import type { BrandHint } from '../brand.ts';
import type { EditInterpreter } from '../edits/port.ts';
import type { Brief, Mood, Scene, ScenePlan } from '../schemas.ts';

/**
 * Provider ports. Paid media generation is split in two (ARCHITECTURE.md example 6):
 * `submit` starts (and pays for) a job and returns its id at once; `collect` waits for it and
 * downloads the result. The engine persists the id between the two, so a restart collects the
 * same job again instead of paying for a second one. Offline providers follow the same shape.
 */
export interface Job {
  id: string;
  /** Provider-reported cost in USD when known at submit time (offline: 0). */
  costUsd?: number;
}

export interface GenContext {
  /** Folder where `collect` writes its files (created by the caller). */
  outDir: string;
  /** Stem for generated file names, e.g. `scene-2-r0`: never user text. */
  fileStem: string;
  signal: AbortSignal;
  /**
   * When a provider has to queue jobs, lower goes first. generate() passes the run's creation
   * time, so under load earlier runs finish first instead of every run finishing late together.
   */
  priority?: number;
  /**
   * Stable per paid step (same value after a crash): providers that accept an idempotency key
   * send it. Replicate has none, so there the intent is reconciled by listing instead.
   */
  idempotencyKey?: string;
}

/** What a paid create was about to do: the lower time bound for finding it again. */
export interface CreateIntent {
  /** When the intent was stored, before the create was sent (ms epoch). */
  createdMs: number;
  nonce: string;
}

export interface GenOutput {
  /** Local file paths, inside ctx.outDir. */
  files: string[];
  /** Seconds of compute the provider reports (for cost). */
  predictTimeS?: number;
  /** Final cost in USD when known; replaces the estimate recorded at submit. */
  costUsd?: number;
}

export interface AsyncGen<I> {
  /** Model id or `offline:<kind>`: shown in cost tables and stored with each prediction. */
  readonly model: string;
  submit(input: I, ctx: GenContext): Promise<Job>;
  collect(job: Job, input: I, ctx: GenContext): Promise<GenOutput>;
  cancel?(job: Job): Promise<void>;
  /**
   * Jobs the provider already holds for this input, created since the intent, oldest first: a
   * create that was sent before a crash but whose id never came back. Free and deterministic
   * providers omit it (creating again costs nothing).
   */
  reconcile?(input: I, intent: CreateIntent, ctx: GenContext): Promise<Job[]>;
  /** Expected USD for one job with this input, before paying (the storyboard's estimate). */
  estimateUsd?(input: I): number;
}

export interface ImageInput {
  prompt: string;
  /** Shown on offline images; a headline, never required by real models. */
  title: string;
  palette: string[];
  keywords: string[];
  count: number;
  width: number;
  height: number;
  seed: number;
}

export interface VideoInput {
  imagePath: string;
  prompt: string;
  /** Whole seconds, already clamped to what the model accepts. */
  durationS: number;
  width: number;
  height: number;
  fps: number;
  seed: number;
}

export interface MusicInput {
  prompt: string;
  durationS: number;
  tempoBpm: number;
  /** Mood palette/keywords drive the offline synth's character. */
  keywords: string[];
  seed: number;
}

/** One voice-over line to speak. */
export interface TtsInput {
  text: string;
  /** One of the provider's `voices` (checked by the caller before paying). */
  voice: string;
  seed: number;
}

/**
 * Text to speech, split like the other paid generations (submit pays, collect returns the file).
 * OpenAI answers the create with the audio itself, so its submit already writes the file.
 */
export interface Tts extends AsyncGen<TtsInput> {
  /** Voices people may pick (the storyboard card, `--voice`); the first is not special. */
  readonly voices: readonly string[];
  /** The configured voice (OPENAI_TTS_VOICE / REPLICATE_TTS_VOICE): a run's default. */
  readonly defaultVoice: string;
}

export type ImageGen = AsyncGen<ImageInput>;
export type VideoGen = AsyncGen<VideoInput>;
export type MusicGen = AsyncGen<MusicInput>;

export interface ChatTurn {
  role: 'user' | 'assistant';
  text: string;
}

/** The LLM's view of the brief conversation after each user message. */
export interface BriefTurn {
  brief: Partial<Brief>;
  missing: (keyof Brief)[];
  complete: boolean;
  /** The next single question to ask, null when complete. */
  question: string | null;
}

/** What a bounded brief conversation carries besides its recent turns (brief-history.ts). */
export interface BriefContext {
  /** A summary of the turns older than the recent window. */
  summary: string;
  /** The brief so far (what every turn before the newest settled); the window replays over it. */
  known: Partial<Brief>;
}

export interface Llm {
  readonly model: string;
  /** `conversation` is the recent window when `context` is given, else the whole conversation. */
  briefTurn(conversation: ChatTurn[], context?: BriefContext): Promise<BriefTurn>;
  /** Folds turns that left the recent window into the running summary (a few turns at a time). */
  summarizeTurns?(previous: string | null, turns: ChatTurn[]): Promise<string>;
  /** `brand`: the run's brand kit colours, which every direction keeps (brand.ts). */
  planMoods(brief: Brief, seed: number, brand?: BrandHint | null): Promise<Mood[]>;
  planScenes(brief: Brief, mood: Mood, seed: number, brand?: BrandHint | null): Promise<ScenePlan>;
  /** A fresh take on scene `index` keeping its kind and duration. */
  replanScene(brief: Brief, mood: Mood, scenes: Scene[], index: number, seed: number): Promise<Scene>;
  /** Reads a chat message as a typed edit (edits/); without it the offline rules read it. */
  interpretEdit?: EditInterpreter;
}

export interface Providers {
  llm: Llm;
  image: ImageGen;
  video: VideoGen;
  music: MusicGen;
  /** Voice-over; absent means no voice (offline has none: see README "Voice-over"). */
  tts?: Tts;
}
