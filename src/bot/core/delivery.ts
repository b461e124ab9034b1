import crypto from 'node:crypto';
import path from 'node:path';
import type { Transactional } from '../../pipeline/stores.ts';
import type { ChatAdapter, ThreadRef, UploadFile } from './ports.ts';

/** One run's delivery intent, as stored before the upload starts. */
export interface DeliveryIntent {
  nonce: string;
  status: 'open' | 'done' | 'abandoned';
  /** What `ChatAdapter.upload` / `findUpload` returned, once known. */
  messageId: string | null;
  /** When the intent was stored (ms epoch): the upload cannot be older. */
  createdMs: number;
}

/**
 * The durable record of deliveries (src/db/delivery-store.ts), one per (run, key): the key is
 * `deliver` for a run's first video, `deliver/v<n>` for later versions, `<that>:<format>` for
 * each further format of a version (`deliveryKey`), `preview/<rev>` for the free preview of a
 * storyboard revision. Each key has its own intent and nonce: each file reaches the thread once.
 */
export interface DeliveryMethods {
  get(runId: string, key?: string): Promise<DeliveryIntent | null>;
  /** Stores an open intent unless one exists; returns the stored one (an old nonce wins). */
  open(runId: string, nonce: string, inputHash: string, key?: string): Promise<DeliveryIntent>;
  done(runId: string, messageId: string, key?: string): Promise<void>;
}

export const FIRST_DELIVERY = 'deliver';

/**
 * The key of version `n`'s delivery; `format` names a further format of it ("More formats"),
 * left out for the version's first file: `deliver`, `deliver:4x5`, `deliver/v2`, `deliver/v2:4x5`.
 * v1's first file keeps `deliver`, the key runs had before versions and formats existed.
 */
export function deliveryKey(n: number, format?: string): string {
  const version = n === 1 ? FIRST_DELIVERY : `${FIRST_DELIVERY}/v${n}`;
  return format ? `${version}:${format}` : version;
}

export type DeliveryLog = DeliveryMethods & Transactional<DeliveryMethods>;

export type DeliveryResult =
  | { status: 'uploaded' | 'found' | 'already'; messageId: string }
  | { status: 'refused' };

export interface DeliverOnceArgs {
  log: DeliveryLog;
  runId: string;
  adapter: ChatAdapter;
  thread: ThreadRef;
  /** The file as the caller describes it; the name is made here so it carries the nonce. */
  file: Omit<UploadFile, 'nonce' | 'filename' | 'extras'> & { label: string; extras?: string[] };
  /**
   * Asked once, just before the intent is stored: return false to refuse (e.g. the run was
   * cancelled). Not asked when an intent already exists: delivery had started, and a cancel
   * that arrives after that must be refused by the caller (`deliveryStarted`).
   */
  mayStart: () => boolean | Promise<boolean>;
  /** Which delivery of the run this is (DeliveryMethods, `deliveryKey`); the first video's by default. */
  key?: string;
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** 10 base32 characters (50 bits): lower case, so every platform keeps it in a file name. */
export function newNonce(): string {
  const bytes = crypto.randomBytes(10);
  return Array.from(bytes, (b) => BASE32[b & 31]).join('');
}

/** `adgen-<product-slug>-<nonce>.mp4`: the nonce rides in the name both platforms keep. */
export function deliveryFilename(label: string, nonce: string, ext: string): string {
  const slug = label
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return `adgen-${slug || 'video'}-${nonce}${ext || '.mp4'}`;
}

/** True once a delivery intent exists for the run: from then on a cancel cannot stop it. */
export async function deliveryStarted(log: DeliveryLog, runId: string): Promise<boolean> {
  return (await log.get(runId)) !== null;
}

/**
 * Posts the run's video into the thread exactly once across crashes: intent (with a nonce)
 * stored BEFORE the upload; after a crash the open intent makes us look for the nonce in the
 * thread first and upload only when it is not there; then the intent is marked done. Slack and
 * Discord have no idempotency key for uploads, so this look-up is the only way to know.
 */
export async function deliverOnce(a: DeliverOnceArgs): Promise<DeliveryResult> {
  const key = a.key ?? FIRST_DELIVERY;
  const existing = await a.log.get(a.runId, key);
  if (existing?.status === 'done' && existing.messageId)
    return { status: 'already', messageId: existing.messageId };
  if (existing?.status === 'abandoned') return { status: 'refused' };
  if (!existing && !(await a.mayStart())) return { status: 'refused' };
  const hash = crypto.createHash('sha256').update(`${a.file.path}\n${a.thread.thread}`).digest('hex');
  const intent = existing ?? (await a.log.open(a.runId, newNonce(), hash.slice(0, 32), key));
  // Only a delivery interrupted before its record can have reached the thread already.
  // A failed look-up fails the job (a retry looks again): uploading blind could post twice.
  const found = existing ? await a.adapter.findUpload(a.thread, intent.nonce, intent.createdMs) : null;
  if (found) {
    await a.log.done(a.runId, found.messageId, key);
    return { status: 'found', messageId: found.messageId };
  }
  const { label, extras, ...rest } = a.file;
  const messageId = await a.adapter.upload(a.thread, {
    ...rest,
    nonce: intent.nonce,
    filename: deliveryFilename(label, intent.nonce, path.extname(a.file.path)),
    ...(extras?.length
      ? {
          extras: extras.map((p) => ({
            path: p,
            filename: deliveryFilename(label, intent.nonce, path.extname(p)),
          })),
        }
      : {}),
  });
  await a.log.done(a.runId, messageId, key);
  return { status: 'uploaded', messageId };
}

/** For adapters: the name to upload under, with the nonce added if the caller's name lacks it. */
export function nameWithNonce(filename: string, nonce: string): string {
  if (filename.includes(nonce)) return filename;
  const ext = path.extname(filename);
  return `${filename.slice(0, filename.length - ext.length)}-${nonce}${ext}`;
}
