/** Progress leaves the pipeline through this port; the bot turns it into one edited message. */
export type Stage = 'moods' | 'storyboard' | 'clips' | 'music' | 'compose' | 'deliver' | 'done';

export interface ProgressEvent {
  runId: string;
  stage: Stage;
  /** Overall fraction of the current phase, 0..1. */
  fraction: number;
  /** Progress within this stage alone, 0..1: stages take very different times, so ETAs use it. */
  stageFraction?: number;
  clipsDone?: number;
  clipsTotal?: number;
  message: string;
  /** A small JPEG of the latest clip's middle frame (only when the sink asks for previews). */
  previewPath?: string;
}

export interface ProgressSink {
  report(event: ProgressEvent): void;
  /** The sink shows preview frames (the chat status): only then are they made. */
  readonly previews?: boolean;
}

export const nullProgress: ProgressSink = { report() {} };
