import { threadIdCodec } from '../core/ports.ts';

/** One local conversation; threads are base-36 time + counter, unique across restarts. */
export const consoleThreadIds = threadIdCodec('console', { channel: /^local$/, thread: /^[a-z0-9]{1,40}$/ });
