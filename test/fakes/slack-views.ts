/**
 * Slack modals in the fake: views.open's checks (a trigger_id from an interaction less than 3 s
 * old, a modal with a title <= 24 chars, input blocks with labels) and the view_submission
 * payload Slack sends when the user presses Submit (state.values by block_id -> action_id).
 */
// biome-ignore lint/suspicious/noExplicitAny: JSON from the client under test
type Json = any;

export interface FakeView {
  id: string;
  user?: string;
  view: Json;
  openedAt: number;
}

const TRIGGER_TTL_MS = 3000;

/** Checks views.open arguments as Slack does; returns an error code or null. */
export function viewsOpenError(a: Json, now = Date.now()): string | null {
  const m = /^\d+\.(\d+)\.t$/.exec(String(a.trigger_id ?? ''));
  if (!m) return 'invalid_trigger_id';
  if (now - Number(m[1]) > TRIGGER_TTL_MS) return 'expired_trigger_id';
  const v = typeof a.view === 'string' ? JSON.parse(a.view) : a.view;
  if (v?.type !== 'modal') return 'invalid_arguments';
  const plain = (t: Json, max: number) =>
    t?.type === 'plain_text' && typeof t.text === 'string' && t.text.length > 0 && t.text.length <= max;
  if (!plain(v.title, 24)) return 'invalid_arguments';
  if (v.submit && !plain(v.submit, 24)) return 'invalid_arguments';
  if ((v.private_metadata ?? '').length > 3000 || (v.callback_id ?? '').length > 255)
    return 'invalid_arguments';
  if (!Array.isArray(v.blocks) || v.blocks.length === 0 || v.blocks.length > 100) return 'invalid_arguments';
  for (const b of v.blocks)
    if (b.type === 'input' && (!plain(b.label, 2000) || !b.element?.action_id)) return 'invalid_arguments';
  return null;
}

/** What Slack sends on Submit; `values` maps block_id -> action_id -> typed text. */
export function viewSubmissionPayload(
  user: string,
  v: FakeView,
  values: Record<string, Record<string, string>>,
  team: string,
): Json {
  const state: Json = { values: {} };
  for (const [block, inputs] of Object.entries(values)) {
    state.values[block] = {};
    for (const [action, value] of Object.entries(inputs))
      state.values[block][action] = { type: 'plain_text_input', value };
  }
  return {
    type: 'view_submission',
    team: { id: team, domain: 'fake' },
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: team },
    api_app_id: 'A0FAKEAPP',
    token: 'verification-token',
    trigger_id: `${Date.now()}.${Date.now()}.t`,
    view: { ...v.view, id: v.id, team_id: team, state, hash: `${v.openedAt}.x` },
    response_urls: [],
  };
}
