import { BOT_USER, type FakeMessage, type FakeSlack } from '../fakes/slack.ts';

/** A message's blocks as text, once per version of them (an edit replaces the array). */
const blockText = new WeakMap<object, string>();
const blocksOf = (m: FakeMessage) => {
  if (!m.blocks) return '[]';
  const known = blockText.get(m.blocks);
  if (known !== undefined) return known;
  const text = JSON.stringify(m.blocks);
  blockText.set(m.blocks, text);
  return text;
};
export const hasAction = (action: string) => (m: FakeMessage) => m.bot && blocksOf(m).includes(`"${action}`);

/** Plays a team member through /adgen up to the storyboard card, the way people type it. */
export async function driveToStoryboard(slack: FakeSlack, user: string, idea: string, timeoutMs = 60_000) {
  const before = slack.messages.length;
  await slack.slashCommand(user, idea);
  const root = await slack.waitForMessage(
    (m) => m.bot && !m.thread_ts && m.text.includes('New video ad') && slack.messages.indexOf(m) >= before,
    timeoutMs,
  );
  const botReplies = () => slack.messages.filter((m) => m.bot && m.thread_ts === root.ts).length;
  await slack.waitFor(() => botReplies() >= 1, 'first question', timeoutMs);
  for (const answer of [
    'commuters in big cities',
    'bold, upbeat',
    'neon, urban',
    'Folds in 3 seconds; Fits in a backpack',
    'Ride free for a week',
  ]) {
    const n = botReplies();
    await slack.say(user, root.ts, answer);
    await slack.waitFor(() => botReplies() > n, 'bot reply', timeoutMs);
  }
  const inThread = (pred: (m: FakeMessage) => boolean) => (m: FakeMessage) =>
    m.thread_ts === root.ts && pred(m);
  const brief = await slack.waitForMessage(inThread(hasAction('brief.confirm')), timeoutMs);
  await slack.click(user, brief, 'brief.confirm');
  await slack.waitFor(
    () => slack.messages.filter(inThread(hasAction('mood.select'))).length === 3,
    'three mood cards',
    timeoutMs,
  );
  const moods = slack.messages.filter(inThread(hasAction('mood.select')));
  return { root, moods, inThread, botUser: BOT_USER };
}
