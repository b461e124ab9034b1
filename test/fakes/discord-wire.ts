/**
 * Discord wire shapes for the fake (test/fakes/discord.ts): ids, payload builders and the
 * multipart body discord.js sends with files. Fields follow what discord.js 14 reads.
 */
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';

// biome-ignore lint/suspicious/noExplicitAny: Discord JSON as the API sends and receives it
export type Json = any;

export interface FakeUser {
  id: string;
  username: string;
  global_name: string | null;
  discriminator: string;
  avatar: null;
  bot?: boolean;
}
export interface FakeAttachment {
  id: string;
  filename: string;
  size: number;
  url: string;
  proxy_url: string;
  description?: string;
  /** Where the uploaded bytes were saved (ffprobe it). */
  path: string;
}
export interface FakeMessage {
  id: string;
  channel_id: string;
  guild_id: string;
  author: FakeUser;
  content: string;
  embeds: Json[];
  components: Json[];
  attachments: FakeAttachment[];
  flags: number;
  edits: number;
  [k: string]: Json;
}
export interface FakeInteraction {
  id: string;
  token: string;
  type: number;
  user: FakeUser;
  channelId: string;
  sentAt: number;
  /** The initial response (callback): its type and how long after INTERACTION_CREATE it came. */
  callback?: { type: number; latencyMs: number };
  originalMessageId?: string;
  /** The modal a MODAL (9) callback opened for this interaction's user. */
  modal?: Json;
}

export const APP_ID = '100000000000000001';
export const GUILD_ID = '200000000000000001';
export const CHANNEL_ID = '300000000000000001';
export const COMMAND_ID = '900000000000000001';
export const PERMS = '2248473465835073';
export const now = () => new Date().toISOString();

export const member = (user: FakeUser) => ({
  user,
  roles: [],
  joined_at: now(),
  deaf: false,
  mute: false,
  flags: 0,
});

export const textChannel = (id: string, name: string): Json => ({
  ...{ id, type: 0, guild_id: GUILD_ID, name, position: 0, permission_overwrites: [] },
  ...{ nsfw: false, topic: null, last_message_id: null, rate_limit_per_user: 0, parent_id: null },
});

/** A thread started from a message takes that message's id. */
export const threadChannel = (id: string, parentId: string, name: string, archiveMinutes: number): Json => ({
  ...{ id, type: 11, guild_id: GUILD_ID, parent_id: parentId, name, owner_id: APP_ID, flags: 0 },
  thread_metadata: {
    archived: false,
    auto_archive_duration: archiveMinutes,
    archive_timestamp: now(),
    locked: false,
  },
  ...{ message_count: 0, member_count: 1, rate_limit_per_user: 0 },
});

/** GUILD_CREATE: without channels, roles (@everyone = guild id) and members ClientReady stalls. */
export function guildCreate(bot: FakeUser, users: FakeUser[], channels: Json[], premiumTier: number): Json {
  const everyone = { id: GUILD_ID, name: '@everyone', permissions: PERMS, position: 0, color: 0, flags: 0 };
  return {
    ...{ id: GUILD_ID, name: 'Test', icon: null, owner_id: users[0]?.id ?? APP_ID, unavailable: false },
    ...{ member_count: users.length + 1, large: false, joined_at: now(), premium_tier: premiumTier },
    roles: [{ ...everyone, hoist: false, managed: false, mentionable: false }],
    channels: channels.filter((c) => c.type !== 11),
    // Real Discord lists active threads here, so a client that reconnects still knows them.
    threads: channels.filter((c) => c.type === 11),
    members: [bot, ...users].map(member),
    ...{ emojis: [], stickers: [], features: [], presences: [], voice_states: [], stage_instances: [] },
    ...{ guild_scheduled_events: [], soundboard_sounds: [] },
  };
}

export interface ParsedBody {
  json: Json;
  files: FakeAttachment[];
  tooLarge: boolean;
}

/** JSON, or multipart (`payload_json` + `files[n]`) when discord.js sends files. */
export async function parseBody(
  req: http.IncomingMessage,
  raw: Buffer,
  store: { dir: string; base: string; limit: number; nextId: () => string },
): Promise<ParsedBody> {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('multipart/form-data'))
    return { json: raw.length ? JSON.parse(String(raw)) : {}, files: [], tooLarge: false };
  const form = await new Response(new Blob([new Uint8Array(raw)]), {
    headers: { 'content-type': type },
  }).formData();
  const json = JSON.parse(String(form.get('payload_json') ?? '{}'));
  const files: FakeAttachment[] = [];
  let tooLarge = false;
  for (const [key, value] of form.entries()) {
    const n = /^files\[(\d+)\]$/.exec(key);
    if (!n || typeof value === 'string') continue;
    const meta = (json.attachments ?? []).find((a: Json) => String(a.id) === n[1]) ?? {};
    const filename: string = meta.filename ?? value.name;
    if (value.size > store.limit) tooLarge = true;
    const id = store.nextId();
    const file = path.join(store.dir, `${id}-${filename}`);
    fs.writeFileSync(file, Buffer.from(await value.arrayBuffer()));
    const url = `${store.base}/attachments/${id}/${filename}`;
    files.push({
      id,
      filename,
      size: value.size,
      url,
      proxy_url: url,
      description: meta.description,
      path: file,
    });
  }
  return { json, files, tooLarge };
}
