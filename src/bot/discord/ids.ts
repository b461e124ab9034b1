import { z } from 'zod';
import type { ThreadRef } from '../core/ports.ts';

/**
 * A Discord ThreadRef is `{ channel: T, thread: T }` where T is the thread channel id (which is
 * also the id of the root message the thread was started from). Everything the core later sees
 * happens inside that thread channel: bot messages are posted there, and gateway events for
 * thread messages and reactions carry `channel_id = T`. Using T as `channel` means a reaction maps
 * straight back to the messages the core linked under (platform, channel, messageId), with no
 * parent-channel lookup that could fail for an uncached thread after a restart.
 */
export function threadRef(threadChannelId: string): ThreadRef {
  return { platform: 'discord', channel: threadChannelId, thread: threadChannelId };
}

/** Discord caps `custom_id` at 100 characters (components reference). */
export const CUSTOM_ID_MAX = 100;

const Action = z.string().regex(/^[a-z][a-z0-9._-]{0,49}$/);
// Values come back from the client: printable text only, short, never trusted beyond this.
const Value = z
  .string()
  .max(CUSTOM_ID_MAX)
  .regex(/^[^\u0000-\u001f]*$/);
const SelectValues = z.array(Value).length(1);

/** Buttons carry `action:value`; select menus carry just `action` and the choice in `values`. */
export function encodeCustomId(action: string, value?: string): string {
  const id = value === undefined ? action : `${action}:${value}`;
  if (id.length > CUSTOM_ID_MAX) throw new Error(`custom_id longer than ${CUSTOM_ID_MAX}: ${action}`);
  return id;
}

/**
 * Parses a component's custom_id (and a select menu's values). Anything malformed still becomes
 * an action: the core answers unknown actions with a helpful private note instead of silence.
 */
export function parseComponent(customId: unknown, values?: unknown): { action: string; value: string } {
  const raw = typeof customId === 'string' ? customId.slice(0, CUSTOM_ID_MAX) : '';
  const colon = raw.indexOf(':');
  const actionPart = colon === -1 ? raw : raw.slice(0, colon);
  const action = Action.safeParse(actionPart);
  if (!action.success) return { action: raw || 'invalid', value: '' };
  if (values !== undefined) {
    const picked = SelectValues.safeParse(values);
    return { action: action.data, value: picked.success ? picked.data[0]! : '' };
  }
  const value = Value.safeParse(colon === -1 ? '' : raw.slice(colon + 1));
  return { action: action.data, value: value.success ? value.data : '' };
}

/** Attachment names Discord keeps as given (and `attachment://` can reference): safe ASCII. */
export function safeFilename(name: string, fallback: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '');
  return (cleaned || fallback).slice(-100);
}
