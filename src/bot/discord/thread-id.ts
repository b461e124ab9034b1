import { threadIdCodec } from '../core/ports.ts';

/** Discord threads are channels: both parts are the thread channel's snowflake (ids.ts). */
export const discordThreadIds = threadIdCodec('discord', { channel: /^\d{15,21}$/, thread: /^\d{15,21}$/ });
