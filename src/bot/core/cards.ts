import { randomBytes } from 'node:crypto';

/**
 * Neutral cards (ARCHITECTURE.md example 3): described once here, rendered per platform by each
 * adapter (Block Kit, Discord embeds + components, terminal text).
 */
export interface CardButton {
  /** One of ACTIONS; the adapter carries it as Slack action_id / Discord custom_id prefix. */
  action: Action;
  label: string;
  /** A short argument (<= 40 chars), parsed and validated by the core when it comes back. */
  value: string;
  style?: 'primary' | 'danger';
  /**
   * Ask before acting (Slack: the button's `confirm` dialog; elsewhere the core asks with a
   * follow-up "Yes" button, since Discord buttons have no dialog).
   */
  confirm?: { title: string; text: string; yes: string; no: string };
}

export interface CardSelect {
  action: Action;
  placeholder: string;
  options: { label: string; value: string }[];
}

export interface CardImage {
  /** A local file the adapter uploads (or attaches) before showing it. */
  path: string;
  alt: string;
}

/** What a card is, so adapters never guess from its title (e.g. the console rewrites status in place). */
export type CardKind =
  | 'root'
  | 'brief'
  | 'mood'
  | 'moods-prompt'
  | 'storyboard'
  | 'status'
  | 'error'
  | 'replaced'
  | 'video'
  | 'text';

export interface Card {
  kind: CardKind;
  title?: string;
  /** Plain text with line breaks; adapters may add their own emphasis for titles only. */
  text: string;
  fields?: { label: string; value: string }[];
  images?: CardImage[];
  /** Hex colours shown as a palette strip or embed colour. */
  palette?: string[];
  buttons?: CardButton[];
  /** Menus below the buttons (e.g. the storyboard's scene and voice pickers), one row each. */
  selects?: CardSelect[];
  footer?: string;
}

export const ACTIONS = [
  'brief.confirm',
  'brief.edit',
  /** On the storyboard and the video: a change in words (storyboard, scenes, music, voice, formats). */
  'ad.edit',
  'mood.select',
  'mood.regenerate',
  'storyboard.approve',
  'storyboard.regenerate',
  'scene.regenerate',
  'voice.choose',
  'job.retry',
  'render.draft',
  'job.cancel',
  'job.continue',
  // On a delivered version's video card (and the new take's confirmation).
  'video.new_take',
  'video.take_confirm',
  'video.change_music',
  'video.final',
  /** On the video card: compose the other formats from the stored clips (decision `formats.more`). */
  'video.formats',
] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * Buttons that open a text editor where the platform has one (Slack modal, Discord modal): the
 * adapter opens it on the click itself (both platforms require that within 3 s of the click),
 * and the submitted text arrives as a thread message, reaching the same handler as typed text.
 */
export const OPENS_EDITOR: readonly Action[] = ['brief.edit', 'ad.edit'];
export const EDITOR_TITLE = 'Edit the ad';
export const EDITOR_LABEL = 'What should change?';
export const EDITOR_PLACEHOLDER = 'e.g. tone: playful, bold — or “scene 2 at night, keep the rest”';

export function isAction(value: string): value is Action {
  return (ACTIONS as readonly string[]).includes(value);
}

/**
 * Mentions travel as opaque tokens that each adapter renders in its own syntax (Slack `<@U1>`,
 * Discord `<@1>` + allowedMentions, console `@name`). Card and message text quote users and the
 * model verbatim, so a token carries a key made at start-up that never leaves this process:
 * text that merely looks like a token cannot ping anyone. Tokens are rendered at send time and
 * never stored. Scaled out (issue 11) the key stays per process because every card is built by
 * the process that sends it: a gateway builds and posts only the root card; what crosses to a
 * worker (lane events: the raw chat event, the idea text, a run id) carries no token, and the
 * worker builds each card from the run's view. A token from another process's key is stripped.
 */
const KEY = randomBytes(6).toString('hex');
const OPEN = '\uE000';
const CLOSE = '\uE001';
const USER_ID = /^[A-Za-z0-9_.-]{1,64}$/;
const TOKEN = new RegExp(`${OPEN}${KEY}:([A-Za-z0-9_.-]{1,64})${CLOSE}`, 'g');
// A token cut by truncation or forged with another key: removed whole, marker to marker.
const STRAY = /\uE000[0-9a-f]{0,12}(?::[A-Za-z0-9_.-]{0,64})?\uE001?|\uE001/g;

/** A mention of `user` for card or message text; an id of unexpected shape stays plain text. */
export function mention(user: string): string {
  return USER_ID.test(user) ? `${OPEN}${KEY}:${user}${CLOSE}` : user;
}

/** The users `text` mentions, in order, without repeats (Discord: the allowedMentions list). */
export function mentionedUsers(text: string): string[] {
  return [...new Set([...text.matchAll(TOKEN)].map((m) => m[1]!))];
}

/**
 * Replaces mention tokens with `render(user)` and drops the marker characters anywhere else (a
 * forged or truncated token). Call it AFTER escaping user text, so the rendered syntax is live.
 */
export function renderMentions(text: string, render: (user: string) => string): string {
  return text.replace(TOKEN, (_, user: string) => render(user)).replace(STRAY, '');
}
