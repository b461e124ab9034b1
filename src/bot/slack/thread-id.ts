import { threadIdCodec } from '../core/ports.ts';

/**
 * Slack threads are (conversation id, root message ts): ids like `C0123ABC` (channels, `G` private,
 * `D` direct messages) and timestamps like `1712345678.000100`.
 */
export const slackThreadIds = threadIdCodec('slack', {
  channel: /^[CDG][A-Z0-9]{2,30}$/,
  thread: /^\d{6,12}\.\d{1,8}$/,
});
