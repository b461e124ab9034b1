import type { ChatTurn } from '../../pipeline/providers/ports.ts';
import type { Brief } from '../../pipeline/schemas.ts';
import type { Transactional } from '../../pipeline/stores.ts';
import type { CardKind } from './cards.ts';
import type { Platform } from './ports.ts';

/**
 * Where a thread is before its ad exists (the brief conversation); from `run` on, the run is the
 * truth (pipeline/view.ts derives its phase) and the thread keeps only chat bookkeeping.
 */
export type ThreadStage = 'brief' | 'brief_review' | 'run' | 'closed';

/** Chat bookkeeping of one thread; saved after every change. */
export interface ThreadState {
  id: string;
  platform: Platform;
  channel: string;
  requester: string;
  stage: ThreadStage;
  /** The brief conversation (before the run exists). */
  brief: Partial<Brief>;
  turns: ChatTurn[];
  /** Revision of the brief on the latest brief card; a confirm on an older card is stale. */
  briefRev: string | null;
  runId: string | null;
  statusMessageId: string | null;
  /** Card key (`mood:m0:1`, `storyboard:sb-…`, `error:…`) -> message id: each is posted once. */
  cards: Record<string, string>;
  /** user -> the mood they voted for, on the mood cards of revision `rev`. */
  votes: Record<string, { rev: string; index: number }>;
}

/** A bot message is linked under the kind of the card it shows. */
export type MessageKind = CardKind;

/** What a bot message shows: which card, its index (mood number) and the revision it was made for. */
export interface MessageLink {
  threadId: string;
  kind: MessageKind;
  ref: number;
  rev: string | null;
}

/** Persistence the bot core needs; src/db implements it. */
export interface ThreadMethods {
  get(id: string): Promise<ThreadState | undefined>;
  save(state: ThreadState): Promise<void>;
  /** Threads whose ad exists and may still have work or cards to show after a restart. */
  unfinished(): Promise<ThreadState[]>;
  byRun(runId: string): Promise<ThreadState | undefined>;
  /** Records that a bot message belongs to a thread (reactions and clicks arrive by message id). */
  linkMessage(platform: Platform, channel: string, messageId: string, link: MessageLink): Promise<void>;
  findMessage(platform: Platform, channel: string, messageId: string): Promise<MessageLink | undefined>;
  /**
   * Insert-or-ignore of a delivery key. Slack re-sends events it thinks were missed (after
   * ~0 s, 1 min, 5 min) and Discord replays on resume: acting twice would post twice or pay twice.
   */
  firstDelivery(key: string): Promise<boolean>;
  /** Forgets delivery keys older than `ms`: re-sends come within minutes, the table must not grow forever. */
  pruneDeliveries(olderThanMs: number): Promise<number>;
  /** Marks a thread closed (its ad finished or was cancelled) so restarts skip it. */
  close(id: string): Promise<void>;
  /** A finished ad is worked on again (a new version): restarts must resume it until it is done. */
  reopen(id: string): Promise<void>;
}

export type ThreadStore = ThreadMethods & Transactional<ThreadMethods>;

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
    stage: 'brief',
    brief: {},
    turns: [],
    briefRev: null,
    runId: null,
    statusMessageId: null,
    cards: {},
    votes: {},
  };
}
