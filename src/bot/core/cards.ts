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

export interface Card {
  title?: string;
  /** Plain text with line breaks; adapters may add their own emphasis for titles only. */
  text: string;
  fields?: { label: string; value: string }[];
  images?: CardImage[];
  /** Hex colours shown as a palette strip or embed colour. */
  palette?: string[];
  buttons?: CardButton[];
  select?: CardSelect;
  footer?: string;
}

export const ACTIONS = [
  'brief.confirm',
  'brief.edit',
  'mood.select',
  'mood.regenerate',
  'storyboard.approve',
  'storyboard.regenerate',
  'scene.regenerate',
  'job.retry',
  'render.draft',
  'job.cancel',
] as const;
export type Action = (typeof ACTIONS)[number];

export function isAction(value: string): value is Action {
  return (ACTIONS as readonly string[]).includes(value);
}
