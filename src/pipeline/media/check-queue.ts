import { CancelledError } from '../../errors.ts';
import { type BatchItem, batchArgs, batchable, MAX_BATCH, trustBatch } from './check-batch.ts';
import { decodeMedia } from './check-pass.ts';
import { collectsPending } from './check-siblings.ts';
import { DEFAULT_BINS, type FfmpegBins, runBinary } from './run.ts';
import { type VerifiedMedia, verdict, verifyMedia } from './verify.ts';

interface Waiting {
  item: BatchItem;
  signal?: AbortSignal;
  /** Its step's collect group (check-siblings.ts): while others of it are coming, it may wait. */
  group?: string;
  queuedAt: number;
  resolve: (v: VerifiedMedia) => void;
  reject: (err: unknown) => void;
}

/** How long a check waits at most for its siblings, and how often it looks whether they came. */
export const MAX_LINGER_MS = 400;
const LINGER_LOOK_MS = 20;

/**
 * Collect checks waiting for a media slot, per set of binaries (each has its own slots). At most
 * one ticket waits in the limiter; when it gets a slot it takes every check waiting by then (up
 * to MAX_BATCH) into one process. With a free slot the ticket starts a microtask later, so the
 * files of one step, added together, are one batch. Before that, while every waiting check has
 * siblings still at the provider (check-siblings.ts), they wait up to MAX_LINGER_MS for them;
 * the last sibling to arrive, or any check without siblings coming, starts the batch at once.
 */
class CheckQueue {
  private waiting: Waiting[] = [];
  private ticket = false;
  private linger: NodeJS.Timeout | undefined;

  constructor(private readonly bins: FfmpegBins) {}

  add(item: BatchItem, signal?: AbortSignal, group?: string): Promise<VerifiedMedia> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new CancelledError());
      this.waiting.push({ item, signal, group, queuedAt: performance.now(), resolve, reject });
      this.schedule();
    });
  }

  private lingers(): boolean {
    if (this.waiting.length >= MAX_BATCH) return false;
    const now = performance.now();
    return this.waiting.every(
      (w) => !w.signal?.aborted && collectsPending(w.group) && now - w.queuedAt < MAX_LINGER_MS,
    );
  }

  private schedule(): void {
    clearTimeout(this.linger);
    this.linger = undefined;
    if (this.ticket || this.waiting.length === 0) return;
    if (this.lingers()) {
      this.linger = setTimeout(() => this.schedule(), LINGER_LOOK_MS);
      return;
    }
    this.ticket = true;
    queueMicrotask(() => {
      const run = () => this.takeAndRun();
      void (this.bins.limit ? this.bins.limit(run) : run());
    });
  }

  /** Runs in a media slot; a failure is each check's own (rejected), never the ticket's. */
  private async takeAndRun(): Promise<void> {
    this.ticket = false;
    const taken = this.waiting.splice(0, MAX_BATCH);
    this.schedule();
    const live = taken.filter((w) => (w.signal?.aborted ? void w.reject(new CancelledError()) : true));
    if (live.length === 1) return settle(live[0]!, () => this.alone(live[0]!));
    if (live.length > 1) await this.together(live);
  }

  /** One file in the slot already held: the per-file check itself. */
  private async alone(w: Waiting): Promise<VerifiedMedia> {
    const unlimited = { ...this.bins, limit: undefined };
    const { info, report } = await decodeMedia(w.item.path, w.item.want.kind, unlimited, w.signal, {
      queuedAt: w.queuedAt,
    });
    return verdict(w.item.want, info, report);
  }

  private async together(group: Waiting[]): Promise<void> {
    const items = group.map((w) => w.item);
    // One run's cancel must not stop the others' check: the process stops when all are cancelled.
    const stop = new AbortController();
    const onAbort = () => group.every((w) => w.signal?.aborted) && stop.abort();
    for (const w of group) w.signal?.addEventListener('abort', onAbort, { once: true });
    let trusted: (VerifiedMedia | undefined)[] = items.map(() => undefined);
    try {
      const { stdout, stderrTail } = await runBinary(this.bins.ffprobe, batchArgs(items), {
        signal: stop.signal,
        stderrTailBytes: 20_000,
        stdoutMaxChars: 64_000_000,
        queuedAt: Math.min(...group.map((w) => w.queuedAt)),
      });
      trusted = trustBatch(items, stdout, stderrTail);
    } catch {
      // Not a verdict: every file gets its own check below, whose verdict is the one that counts.
    } finally {
      for (const w of group) w.signal?.removeEventListener('abort', onAbort);
    }
    // The others go back to the limiter as ordinary per-file checks (after this slot is freed).
    for (const [i, w] of group.entries()) {
      const ok = trusted[i];
      void settle(w, async () => ok ?? verifyMedia(w.item.path, w.item.want, this.bins, w.signal));
    }
  }
}

async function settle(w: Waiting, check: () => Promise<VerifiedMedia>): Promise<void> {
  try {
    if (w.signal?.aborted) throw new CancelledError();
    w.resolve(await check());
  } catch (err) {
    w.reject(w.signal?.aborted ? new CancelledError() : err);
  }
}

const queues = new WeakMap<FfmpegBins, CheckQueue>();

/**
 * Checks each file (verifyMedia's verdict, in file order). Files of kinds and paths a batch can
 * take share processes with each other and with other steps' checks waiting at the same time.
 */
export function verifyAll(
  items: readonly BatchItem[],
  bins: FfmpegBins = DEFAULT_BINS,
  signal?: AbortSignal,
  group?: string,
): Promise<PromiseSettledResult<VerifiedMedia>[]> {
  const q = queues.get(bins) ?? new CheckQueue(bins);
  queues.set(bins, q);
  return Promise.allSettled(
    items.map((it) =>
      batchable(it) ? q.add(it, signal, group) : verifyMedia(it.path, it.want, aloneBins(it, bins), signal),
    ),
  );
}

/**
 * The music's check goes ahead of the clip checks waiting for a slot: the audio measurement the
 * compose waits for (render-audio.ts, itself marked first) can only start once the music passed.
 */
function aloneBins(it: BatchItem, bins: FfmpegBins): FfmpegBins {
  const { limit } = bins;
  if (it.want.kind !== 'music' || !limit) return bins;
  return { ...bins, limit: (task) => limit(task, { first: true }) };
}
