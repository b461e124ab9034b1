import { errorMessage } from '../../errors.ts';
import { onAction } from './actions.ts';
import { advanceBrief, cleanInput, onBriefMessage } from './brief-flow.ts';
import { rootCard } from './card-builders.ts';
import { isAction } from './cards.ts';
import { type BotDeps, ThreadCtx } from './context.ts';
import { type JobKind, runJob } from './jobs.ts';
import type { ActionEvent, ChatAdapter, CommandEvent, Incoming, ReactionEvent } from './ports.ts';
import { encodeThreadId } from './ports.ts';
import { onReaction } from './reactions.ts';
import { newThreadState } from './thread-state.ts';

export const HELP_TEXT =
  'I turn an idea into a 30-second vertical video ad, right here in this thread: a short brief, ' +
  'three mood boards to choose from, a storyboard to approve, then the video. ' +
  'Reactions: ✅ approve the storyboard · 🔁 regenerate · ❌ cancel · 1️⃣ 2️⃣ 3️⃣ vote for a mood.';

/**
 * The platform-neutral bot: dedupes deliveries, serialises work per thread, and routes each event
 * to the brief conversation, the card actions or the review reactions. Never throws to adapters.
 */
export function createBot(deps: BotDeps) {
  const contexts = new Map<string, ThreadCtx>();
  const queues = new Map<string, Promise<void>>();

  function adapterFor(platform: string): ChatAdapter {
    const a = deps.adapters[platform as keyof typeof deps.adapters];
    if (!a) throw new Error(`no adapter for ${platform}`);
    return a;
  }

  /** One in-memory state per thread, shared by handlers and background jobs (no lost updates). */
  function context(threadId: string): ThreadCtx | undefined {
    const cached = contexts.get(threadId);
    if (cached) return cached;
    const state = deps.threads.get(threadId);
    if (!state) return undefined;
    const ctx = new ThreadCtx(deps, state, adapterFor(state.platform));
    contexts.set(threadId, ctx);
    return ctx;
  }

  /** Events of one thread run one after another, so two quick clicks cannot race. */
  function serial(threadId: string, work: () => Promise<void>): Promise<void> {
    const next = (queues.get(threadId) ?? Promise.resolve()).then(work, work);
    queues.set(threadId, next);
    return next.finally(() => {
      if (queues.get(threadId) === next) queues.delete(threadId);
    });
  }

  async function onCommand(e: CommandEvent) {
    const adapter = adapterFor(e.platform);
    const idea = cleanInput(e.text);
    const ref = await adapter.openThread(e, rootCard(e.user, idea.meaningful ? idea.text : ''));
    const id = encodeThreadId(ref);
    const ctx = new ThreadCtx(deps, newThreadState(id, ref.platform, ref.channel, e.user), adapter);
    contexts.set(id, ctx);
    ctx.save();
    await serial(id, async () => {
      if (idea.meaningful) ctx.save((s) => s.turns.push({ role: 'user', text: idea.text }));
      await advanceBrief(ctx);
    });
  }

  async function dispatch(e: Exclude<Incoming, CommandEvent>) {
    if (e.type === 'reaction') return onReactionEvent(e);
    const ctx = context(encodeThreadId(e.thread));
    if (!ctx) {
      if (e.type === 'action')
        await adapterFor(e.thread.platform).postPrivate(
          e.thread,
          e.user,
          'I no longer know this thread; start a new ad with /adgen.',
        );
      return;
    }
    await serial(ctx.state.id, async () => {
      if (e.type === 'action') return onActionEvent(ctx, e);
      const text = e.text.trim().toLowerCase();
      if (text === 'help' || text === '?') return void (await ctx.say(HELP_TEXT));
      if (ctx.state.phase === 'brief' || ctx.state.phase === 'brief_review') {
        if (
          ctx.state.requester !== e.user &&
          !deps.review.reviewers.includes('*') &&
          !deps.review.reviewers.includes(e.user)
        )
          return;
        return onBriefMessage(ctx, e.text);
      }
    });
  }

  async function onActionEvent(ctx: ThreadCtx, e: ActionEvent) {
    if (!isAction(e.action))
      return ctx.tell(e.user, 'I don’t know that button. Try the latest card in the thread.');
    try {
      await onAction(ctx, e.user, e.action, e.value);
    } catch (err) {
      deps.log.warn('action failed', { action: e.action, error: errorMessage(err) });
      await ctx.tell(e.user, `That didn’t work: ${errorMessage(err).slice(0, 300)}`);
    }
  }

  async function onReactionEvent(e: ReactionEvent) {
    // A reaction can arrive before our own post() call has returned the message id: wait briefly.
    let link = deps.threads.findMessage(e.platform, e.channel, e.messageId);
    for (let i = 0; !link && i < 20; i++) {
      await new Promise((r) => setTimeout(r, 100));
      link = deps.threads.findMessage(e.platform, e.channel, e.messageId);
    }
    const ctx = link && context(link.threadId);
    if (!link || !ctx) return;
    await serial(ctx.state.id, () => onReaction(ctx, e, link));
  }

  return {
    async handle(event: Incoming): Promise<void> {
      const platform =
        event.type === 'command' || event.type === 'reaction' ? event.platform : event.thread.platform;
      if (!deps.threads.firstDelivery(`${platform}:${event.type}:${event.eventId}`)) return;
      try {
        if (event.type === 'command') await onCommand(event);
        else await dispatch(event);
      } catch (err) {
        deps.log.error('event failed', { type: event.type, error: errorMessage(err) });
      }
    },
    /** After a restart: continue every thread whose background work had not finished. */
    resumeAll(): number {
      const pending = deps.threads.unfinished().filter((s) => s.busy && deps.adapters[s.platform]);
      for (const s of pending) {
        const ctx = context(s.id);
        if (ctx) void runJob(ctx, s.phase as JobKind);
      }
      return pending.length;
    },
  };
}

export type Bot = ReturnType<typeof createBot>;
