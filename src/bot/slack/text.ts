import { renderMentions } from '../core/cards.ts';

/**
 * Slack text helpers. Card text is user- and model-supplied, so it is escaped before it goes into
 * mrkdwn (otherwise `<!channel>` in a brief would ping a whole channel), and cut to Block Kit's
 * per-field limits (Slack rejects the whole message with `invalid_blocks` otherwise).
 */

export function escapeMrkdwn(text: string): string {
  return (
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      // Even `<@U123>` typed by a user stays text: only the core's mention tokens become mentions.
      .replace(/>/g, '&gt;')
  );
}

/** Slack sends message and command text with these three entities escaped. */
export function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Cuts to at most `max` UTF-16 units with an ellipsis, never splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/** The core's mention tokens (cards.ts) as Slack user mentions; ids of another shape stay text. */
const slackMentions = (text: string) =>
  renderMentions(text, (user) => (/^[UW][A-Z0-9]{2,20}$/.test(user) ? `<@${user}>` : `@${user}`));

/**
 * Escapes, then truncates so the escaped form fits `max` without cutting an entity in half, then
 * turns mention tokens into `<@U…>` (shorter than the token, so the result still fits).
 */
export function mrkdwn(text: string, max: number): string {
  return slackMentions(escapedWithin(text, max));
}

function escapedWithin(text: string, max: number): string {
  const escaped = escapeMrkdwn(text);
  if (escaped.length <= max) return escaped;
  let out = '';
  for (const ch of text) {
    const e = escapeMrkdwn(ch);
    if (out.length + e.length > max - 1) break;
    out += e;
  }
  return `${out}…`;
}

/**
 * Splits long text into chunks of at most `max` characters (after escaping), preferring line
 * breaks, so a long storyboard becomes several sections instead of being cut at 3000.
 */
export function chunkMrkdwn(text: string, max: number, maxChunks: number): string[] {
  const chunks: string[] = [];
  let rest = text.trim();
  while (rest && chunks.length < maxChunks) {
    if (escapeMrkdwn(rest).length <= max || chunks.length === maxChunks - 1) {
      chunks.push(mrkdwn(rest, max));
      break;
    }
    let cut = rest.lastIndexOf('\n', Math.floor(max * 0.8));
    if (cut < max / 4) cut = Math.floor(max * 0.8);
    chunks.push(mrkdwn(rest.slice(0, cut), max));
    rest = rest.slice(cut).trim();
  }
  return chunks;
}
