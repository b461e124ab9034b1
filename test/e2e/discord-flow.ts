import type { FakeDiscord, FakeMessage } from '../fakes/discord.ts';

export const hasButton = (action: string) => (m: FakeMessage) =>
  JSON.stringify(m.components).includes(`"${action}`);

/** Plays `who` through /adgen up to the storyboard card; returns the thread and the card. */
export async function driveToStoryboard(discord: FakeDiscord, who: string, idea: string, timeoutMs = 60_000) {
  const threadsBefore = new Set([...discord.channels.values()].filter((c) => c.type === 11).map((c) => c.id));
  const slash = discord.slash(who, idea);
  await discord.waitFor(() => slash.callback, timeoutMs);
  const threadId: string = await discord.waitFor(
    () => [...discord.channels.values()].find((c) => c.type === 11 && !threadsBefore.has(c.id))?.id,
    timeoutMs,
  );
  const botMsgs = () => discord.inChannel(threadId).filter((m) => m.author.bot);
  await discord.waitFor(() => botMsgs().length >= 1, timeoutMs); // the first question
  for (const answer of [
    'city cyclists',
    'confident, modern',
    'sleek, night',
    'Unlocks with your phone; Alarm at 100 dB',
    'Lock it in today',
  ]) {
    const n = botMsgs().length;
    discord.say(who, threadId, answer);
    await discord.waitFor(() => botMsgs().length > n, timeoutMs);
  }
  const brief = await discord.waitFor(() => botMsgs().find(hasButton('brief.confirm')), timeoutMs);
  discord.click(who, brief, 'brief.confirm:ok');
  const mood = await discord.waitFor(() => botMsgs().filter(hasButton('mood.select'))[2], timeoutMs);
  discord.click(who, mood, 'mood.select:2');
  const board = await discord.waitFor(() => botMsgs().find(hasButton('storyboard.approve')), timeoutMs);
  return { threadId, board, botMsgs };
}
