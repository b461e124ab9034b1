import { errorMessage } from '../../errors.ts';
import { createInProcessQueue } from '../../pipeline/jobs/in-process.ts';
import { onAction } from './actions.ts';
import { brandThread, commandScope, onBrandCommand, onBrandMessage } from './brand-flow.ts';
import { advanceBrief, cleanInput, onBriefMessage } from './brief-flow.ts';
import { brandRootCard, mention, rootCard } from './card-builders.ts';
import { isAction } from './cards.ts';
import { chatDelivery } from './chat-delivery.ts';
import { type BotDeps, ThreadCtx } from './context.ts';
import { drive } from './drive.ts';
import { onEditText } from './edit-flow.ts';
import type {
  ActionEvent,
  ChatAdapter,
  CommandEvent,
  Incoming,
  IncomingFile,
  ReactionEvent,
} from './ports.ts';
import { encodeThreadId } from './ports.ts';
import { onReaction } from './reactions.ts';
import { mayAct, refusal } from './review.ts';
import { findSubcommand } from './subcommands.ts';
import { syncThread } from './sync.ts';
import { newThreadState } from './thread-state.ts';
import { workerHandlers } from './worker-handlers.ts';

export const HELP_TEXT =
  'I turn an idea into a 30-second vertical video ad, right here in a thread: a short brief, ' +
  'three mood boards to choose from, a storyboard to approve, then the video. ' +
  'Start with `/adgen your idea`. `/adgen usage` shows your renders and spend. ' +
  'In the thread, say what to change: “scene 2 at night”, “swap scenes 3 and 4”, “calmer music”. ' +
  'Reactions: ✅ approve the storyboard · 🔁 regenerate · ❌ cancel · 1️⃣ 2️⃣ 3️⃣ vote for a mood. ' +
  'Brand kit (logo, colours, font, CTA, URL for every ad here): `/adgen brand`, `/adgen brand show`, `/adgen brand clear`.';

/** Delivery keys older than this are forgotten: Slack's last re-send comes after ~5 minutes. */
export const DEDUPE_KEEP_MS = 24 * 3600_000;
/** A bot runs for weeks: without a periodic prune, seen_events grows by every event it ever got. */
const PRUNE_EVERY_MS = 3600_000;

/**
 * The platform-neutral bot: dedupes deliveries, serialises the events of each thread (the job
 * queue's lanes), and turns them into brief turns or workflow decisions. Never throws to adapters.
 * Receiving (`handle`: dedupe, open the thread, publish) and working (`jobHandlers`) are apart so a
 * gateway and a worker can be different processes; with a durable queue nothing is cached
 * between two events of a thread, since another worker may have handled the one in between.
 */
export function createBot(deps: BotDeps, opts: { pruneEveryMs?: number } = {}) {
  const contexts = new Map<string, ThreadCtx>();
  const ownQueue = !deps.jobs;
  const jobs = deps.jobs ?? createInProcessQueue({ renderConcurrency: 1 });
  let pruneTimer: NodeJS.Timeout | undefined;

  async function prune() {
    try {
      await deps.threads.pruneDeliveries(DEDUPE_KEEP_MS);
    } catch (err) {
      deps.log.warn('pruning old event keys failed', { error: errorMessage(err) });
    }
  }

  function adapterFor(platform: string): ChatAdapter {
    const a = deps.adapters[platform as keyof typeof deps.adapters];
    if (!a) throw new Error(`no adapter for ${platform}`);
    return a;
  }

  /** One in-memory bookkeeping per thread, shared by handlers and background work. */
  async function context(threadId: string): Promise<ThreadCtx | undefined> {
    const cached = contexts.get(threadId);
    if (cached) return cached;
    const state = await deps.threads.get(threadId);
    // Another event of the thread may have loaded it while we waited: one context per thread.
    const raced = contexts.get(threadId);
    if (raced) return raced;
    if (!state || !deps.adapters[state.platform]) return undefined;
    const ctx = new ThreadCtx(deps, state, adapterFor(state.platform));
    contexts.set(threadId, ctx);
    return ctx;
  }

  async function onCommand(e: CommandEvent) {
    const adapter = adapterFor(e.platform);
    const idea = cleanInput(e.text);
    const sub = findSubcommand(idea.text);
    if (sub) {
      const text = await sub.sub.answer({ deps, command: e, args: sub.args, help: HELP_TEXT });
      await adapter.answerCommand(e, text);
      return;
    }
    const brand = /^brand(?:\s+(.*))?$/is.exec(idea.text);
    if (brand)
      return onBrandCommand(deps, adapter, e, brand[1] ?? '', (scope, draft) => openBrand(e, scope, draft));
    const ref = await adapter.openThread(e, rootCard(e.user, idea.meaningful ? idea.text : ''));
    const id = encodeThreadId(ref);
    const state = {
      ...newThreadState(id, ref.platform, ref.channel, e.user),
      workspace: e.workspace ?? e.platform,
    };
    const ctx = new ThreadCtx(deps, state, adapter);
    ctx.state.brandScope = commandScope(e);
    contexts.set(id, ctx);
    await ctx.save();
    // Reactions on the root message (❌ to cancel) find the thread through this link.
    const root = ref.rootMessage ?? { channel: ref.channel, messageId: ref.thread };
    await deps.threads.linkMessage(ref.platform, root.channel, root.messageId, {
      threadId: id,
      kind: 'root',
      ref: 0,
      rev: null,
    });
    // Events of one thread run one after another (its lane), so two quick clicks cannot race.
    await jobs.publishEvent(id, {
      kind: 'started',
      threadId: id,
      idea: idea.text,
      meaningful: idea.meaningful,
    });
  }

  /** A `/adgen brand` thread: its own root card, then the questions (brand-flow.ts). */
  async function openBrand(e: CommandEvent, scope: string, draft: Record<string, unknown>) {
    const ref = await adapterFor(e.platform).openThread(e, brandRootCard(e.user));
    const id = encodeThreadId(ref);
    const state = brandThread(newThreadState(id, ref.platform, ref.channel, e.user), scope, draft);
    const ctx = new ThreadCtx(deps, state, adapterFor(e.platform));
    contexts.set(id, ctx);
    await ctx.save();
    return ctx;
  }

  async function onStarted(threadId: string, idea: string, meaningful: boolean) {
    const ctx = await context(threadId);
    if (!ctx) return;
    if (meaningful) await ctx.save((s) => s.turns.push({ role: 'user', text: idea }));
    await advanceBrief(ctx);
  }

  async function onMessage(ctx: ThreadCtx, user: string, rawText: string, files?: IncomingFile[]) {
    const text = rawText.trim().toLowerCase();
    if (text === 'help' || text === '?') return void (await ctx.say(HELP_TEXT));
    const s = ctx.state;
    // Privately, so a teammate talking in the thread is told why the bot does not react to them.
    if (!mayAct(deps.review, s, user)) return ctx.tell(user, refusal(s, mention));
    if (s.stage === 'brand') return onBrandMessage(ctx, rawText, files);
    // Files are only asked for in brand threads; a bare picture elsewhere is not a brief turn.
    if (files?.length && !rawText.trim()) return;
    if (s.stage === 'brief' || s.stage === 'brief_review') return onBriefMessage(ctx, rawText);
    // From the run on, a message is direction in words, or gets an answer saying what it can be.
    if (s.runId) return onEditText(ctx, user, rawText);
  }

  async function dispatch(e: Exclude<Incoming, CommandEvent | ReactionEvent>) {
    if (!(await deps.threads.get(encodeThreadId(e.thread)))) return dispatchNow(e); // answered at once
    await jobs.publishEvent(encodeThreadId(e.thread), { kind: 'event', event: e });
  }

  async function dispatchNow(e: Exclude<Incoming, CommandEvent | ReactionEvent>) {
    const ctx = await context(encodeThreadId(e.thread));
    if (!ctx) {
      if (e.type === 'action')
        await adapterFor(e.thread.platform).postPrivate(
          e.thread,
          e.user,
          'I no longer know this thread; start a new ad with /adgen.',
        );
      return;
    }
    if (e.type === 'message') return onMessage(ctx, e.user, e.text, e.files);
    return onActionEvent(ctx, e as ActionEvent);
  }

  async function onActionEvent(ctx: ThreadCtx, e: ActionEvent) {
    if (!isAction(e.action))
      return ctx.tell(e.user, 'I don’t know that button. Try the latest card in the thread.');
    const link = await deps.threads.findMessage(ctx.ref.platform, ctx.ref.channel, e.messageId);
    try {
      await onAction(ctx, e.user, e.action, e.value, link?.threadId === ctx.state.id ? link : undefined);
    } catch (err) {
      deps.log.warn('action failed', { action: e.action, error: errorMessage(err) });
      await ctx.tell(e.user, 'That didn’t work because of an error on my side; please try again.');
    }
  }

  async function onReactionEvent(e: ReactionEvent) {
    // A reaction can arrive before our own post() call has returned the message id: wait briefly.
    let link = await deps.threads.findMessage(e.platform, e.channel, e.messageId);
    for (let i = 0; !link && i < 20; i++) {
      await new Promise((r) => setTimeout(r, 100));
      link = await deps.threads.findMessage(e.platform, e.channel, e.messageId);
    }
    if (!link) return;
    await jobs.publishEvent(link.threadId, { kind: 'event', event: e });
  }

  async function onReactionNow(e: ReactionEvent) {
    const link = await deps.threads.findMessage(e.platform, e.channel, e.messageId);
    const ctx = link && (await context(link.threadId));
    if (!link || !ctx) return;
    await onReaction(ctx, e, link);
  }

  const jobHandlers = workerHandlers({
    deps,
    durable: jobs.durable,
    forget: (threadId) => contexts.delete(threadId),
    context,
    adapterFor,
    onStarted,
    onReaction: onReactionNow,
    onThreadEvent: dispatchNow,
  });
  if (ownQueue) void jobs.work(jobHandlers);

  const bot = {
    async handle(event: Incoming): Promise<void> {
      const platform =
        event.type === 'command' || event.type === 'reaction' ? event.platform : event.thread.platform;
      if (!(await deps.threads.firstDelivery(`${platform}:${event.type}:${event.eventId}`))) return;
      try {
        if (event.type === 'command') await onCommand(event);
        else if (event.type === 'reaction') await onReactionEvent(event);
        else await dispatch(event);
      } catch (err) {
        deps.log.error('event failed', { type: event.type, error: errorMessage(err) });
      }
    },
    /** After a restart: every thread with an ad shows what it missed and continues its work. */
    async resumeAll(): Promise<number> {
      await prune();
      if (!pruneTimer) {
        // unref: the timer alone never keeps the process alive (tests, a clean shutdown).
        pruneTimer = setInterval(() => void prune(), opts.pruneEveryMs ?? PRUNE_EVERY_MS).unref();
      }
      // Durable jobs outlive processes: a dead worker's job comes back through the queue's reaper.
      if (jobs.durable) return 0;
      let resumed = 0;
      for (const s of await deps.threads.unfinished()) {
        const ctx = await context(s.id);
        if (!ctx?.state.runId) continue;
        const v = await deps.workflow.view(ctx.state.runId);
        resumed++;
        if (v.working) void drive(ctx);
        else
          void syncThread(ctx, v).catch((err) =>
            deps.log.warn('thread sync failed', { thread: s.id, error: errorMessage(err) }),
          );
      }
      return resumed;
    },
    /** What a worker process gives its job queue (`jobs.work(bot.jobHandlers)`). */
    jobHandlers,
    /** Stops the periodic prune (before the database closes). */
    stop() {
      clearInterval(pruneTimer);
      pruneTimer = undefined;
    },
    /** The workflow's delivery step posts into the thread of the run (wired in the root). */
    delivery: chatDelivery(async (runId) => {
      const state = await deps.threads.byRun(runId);
      return state ? context(state.id) : undefined;
    }),
  };
  return bot;
}

export type Bot = ReturnType<typeof createBot>;
