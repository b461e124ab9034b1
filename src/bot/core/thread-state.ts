import type { ChatTurn } from '../../pipeline/providers/ports.ts';
import type { Brief } from '../../pipeline/schemas.ts';
import type { Platform } from './ports.ts';

export type Phase =
  | 'brief'
  | 'brief_review'
  | 'moods'
  | 'storyboard'
  | 'rendering'
  | 'done'
  | 'cancelled'
  | 'failed';
export const TERMINAL: readonly Phase[] = ['done', 'cancelled'];

/** Everything a thread needs to continue after a restart; saved after every change. */
export interface ThreadState {
  id: string;
  platform: Platform;
  channel: string;
  requester: string;
  phase: Phase;
  /** A background job (moods, storyboard, render) is working for this phase. */
  busy: boolean;
  /** The phase whose job failed, when phase is `failed`. */
  failedPhase: Phase | null;
  brief: Partial<Brief>;
  turns: ChatTurn[];
  runId: string | null;
  statusMessageId: string | null;
  moodMessageIds: string[];
  storyboardMessageId: string | null;
  /** user -> mood index (0-2). */
  votes: Record<string, number>;
  approvals: string[];
  delivered: boolean;
  error: string | null;
}

export type MessageKind = 'root' | 'brief' | 'mood' | 'storyboard' | 'status' | 'video' | 'other';

/** Persistence the bot core needs; src/db implements it. */
export interface ThreadStore {
  get(id: string): ThreadState | undefined;
  save(state: ThreadState): void;
  /** Threads with work to continue after a restart. */
  unfinished(): ThreadState[];
  /** Records that a bot message belongs to a thread (reactions arrive by message id). */
  linkMessage(
    platform: Platform,
    channel: string,
    messageId: string,
    threadId: string,
    kind: MessageKind,
    ref: number,
  ): void;
  findMessage(
    platform: Platform,
    channel: string,
    messageId: string,
  ): { threadId: string; kind: MessageKind; ref: number } | undefined;
  /**
   * Insert-or-ignore of a delivery key. Slack re-sends events it thinks were missed (after
   * ~0 s, 1 min, 5 min) and Discord replays on resume: acting twice would post twice or pay twice.
   */
  firstDelivery(key: string): boolean;
}

export function newThreadState(
  id: string,
  platform: Platform,
  channel: string,
  requester: string,
): ThreadState {
  return {
    id,
    platform,
    channel,
    requester,
    phase: 'brief',
    busy: false,
    failedPhase: null,
    brief: {},
    turns: [],
    runId: null,
    statusMessageId: null,
    moodMessageIds: [],
    storyboardMessageId: null,
    votes: {},
    approvals: [],
    delivered: false,
    error: null,
  };
}
