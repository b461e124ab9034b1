import type { JobQueue } from '../../pipeline/jobs/ports.ts';
import type { ProfileName } from '../../pipeline/media/profiles.ts';
import type { Llm } from '../../pipeline/providers/ports.ts';
import type { Workflow } from '../../pipeline/workflow.ts';
import type { BrandDeps } from './brand-flow.ts';
import type { Card } from './cards.ts';
import type { DeliveryLog } from './delivery.ts';
import { type ChatAdapter, decodeThreadId, type Platform, type ThreadRef } from './ports.ts';
import type { ReviewPolicy } from './review.ts';
import type { createProgressRouter } from './status.ts';
import type { ThreadState, ThreadStore } from './thread-state.ts';

export interface Logger {
  info(msg: string, extra?: Record<string, unknown>): void;
  warn(msg: string, extra?: Record<string, unknown>): void;
  error(msg: string, extra?: Record<string, unknown>): void;
}

export interface BotDeps {
  adapters: Partial<Record<Platform, ChatAdapter>>;
  threads: ThreadStore;
  workflow: Workflow;
  /** Delivery intents: the video is posted once across crashes (delivery.ts). */
  deliveries: DeliveryLog;
  llm: Llm;
  review: ReviewPolicy;
  progress: ReturnType<typeof createProgressRouter>;
  profile: ProfileName;
  log: Logger;
  /** Brand kits (`/adgen brand`); absent: the command says they are not set up. */
  brands?: BrandDeps;
  /**
   * Where chat events and run work go (issue 11). Unset or in-process: one process, today's
   * behaviour. Durable (PostgreSQL): gateways publish, workers take, each run phase is a job.
   */
  jobs?: JobQueue;
  /** Stops this process's work on a run and releases its lease (a worker shutting down). */
  handBack?(runId: string): Promise<void>;
}

/** One thread's bookkeeping plus the adapter that talks to it; every change is saved at once. */
export class ThreadCtx {
  readonly ref: ThreadRef;
  /** Card posts of this thread run one at a time, so two syncs never post the same card twice. */
  private posting: Promise<unknown> = Promise.resolve();
  /** Status changes run one at a time: two progress ticks must not both re-post it. */
  private statusing: Promise<unknown> = Promise.resolve();
  /** A card was posted after the status message: it is no longer the newest in the thread. */
  private statusBuried = false;

  constructor(
    readonly deps: BotDeps,
    public state: ThreadState,
    readonly adapter: ChatAdapter,
  ) {
    this.ref = decodeThreadId(state.id);
  }

  async save(change?: (s: ThreadState) => void): Promise<void> {
    change?.(this.state);
    await this.deps.threads.save(this.state);
  }

  /** Posts a card and links its message to the thread under the card's own kind. */
  async post(card: Card, ref = 0, rev: string | null = null): Promise<string> {
    const id = await this.adapter.post(this.ref, card);
    if (card.kind !== 'status' && this.state.statusMessageId) this.statusBuried = true;
    await this.deps.threads.linkMessage(this.ref.platform, this.ref.channel, id, {
      threadId: this.state.id,
      kind: card.kind,
      ref,
      rev,
    });
    return id;
  }

  /** Posts the card known as `key` unless this thread already shows it; returns its message id. */
  postOnce(
    key: string,
    make: () => Card | Promise<Card>,
    ref = 0,
    rev: string | null = null,
  ): Promise<{ id: string; fresh: boolean }> {
    const next = this.posting.then(async () => {
      const shown = this.state.cards[key];
      if (shown) return { id: shown, fresh: false };
      const id = await this.post(await make(), ref, rev);
      await this.save((s) => {
        s.cards[key] = id;
      });
      return { id, fresh: true };
    });
    this.posting = next.catch(() => undefined);
    return next;
  }

  /**
   * `postOnce` for a file (the free preview): `upload` returns the platform's id and is itself
   * exactly-once across crashes (deliverOnce); this keeps two syncs from starting it together.
   */
  uploadOnce(key: string, upload: () => Promise<string>): Promise<{ id: string; fresh: boolean }> {
    const next = this.posting.then(async () => {
      const shown = this.state.cards[key];
      if (shown) return { id: shown, fresh: false };
      const id = await upload();
      await this.save((s) => {
        s.cards[key] = id;
      });
      return { id, fresh: true };
    });
    this.posting = next.catch(() => undefined);
    return next;
  }

  update(messageId: string, card: Card): Promise<void> {
    return this.adapter.update(this.ref, messageId, card);
  }

  say(text: string): Promise<string> {
    return this.post({ kind: 'text', text });
  }

  tell(user: string, text: string): Promise<void> {
    return this.adapter.postPrivate(this.ref, user, text);
  }

  /**
   * Shows a status line in the thread's single status message. When cards were posted below it
   * (mood boards, the storyboard), it is posted again at the bottom and the old one deleted, so
   * the live status stays the newest message while work runs (where the platform can delete).
   */
  status(card: Card): Promise<void> {
    const next = this.statusing.then(() => this.showStatus(card));
    this.statusing = next.catch(() => undefined);
    return next;
  }

  private async showStatus(card: Card): Promise<void> {
    const old = this.state.statusMessageId;
    const remove = this.adapter.deleteMessage?.bind(this.adapter);
    if (old && (!this.statusBuried || !remove)) return this.update(old, card);
    const id = await this.post(card);
    this.statusBuried = false;
    await this.save((s) => {
      s.statusMessageId = id;
    });
    // Posted first, deleted second: the thread is never without a status.
    if (old && remove) await remove(this.ref, old).catch(() => undefined);
  }
}
