/**
 * The words a scene shows on screen. Short by rule (<= 7 words, and the layout keeps it to two
 * lines): a viewer reads about 3 words a second and a 9:16 safe area holds little. Text from
 * the LLM or a person that runs long is shortened here rather than refused, so a chatty model
 * never fails a render.
 */
export const ON_SCREEN_MAX_WORDS = 7;
/** Scripts written without spaces (Chinese, Japanese) count characters instead of words. */
export const ON_SCREEN_MAX_UNSPACED_CHARS = 16;
export const ON_SCREEN_MAX_CHARS = 60;

const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

/** Control characters and line breaks become spaces; runs of space collapse. */
export function cleanLine(text: string): string {
  return text
    .replace(/[\p{Cc}\p{Zl}\p{Zp}\u200b]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Cuts at a word (or, in unspaced scripts, a character) and drops dangling punctuation. */
export function fitOnScreen(text: string): string {
  let line = cleanLine(text);
  const words = line.split(' ');
  if (words.length > ON_SCREEN_MAX_WORDS) line = words.slice(0, ON_SCREEN_MAX_WORDS).join(' ');
  if (UNSPACED.test(line)) {
    const chars = [...line];
    if (chars.length > ON_SCREEN_MAX_UNSPACED_CHARS)
      line = chars.slice(0, ON_SCREEN_MAX_UNSPACED_CHARS).join('');
  }
  if ([...line].length > ON_SCREEN_MAX_CHARS) {
    const cut = [...line].slice(0, ON_SCREEN_MAX_CHARS).join('');
    const space = cut.lastIndexOf(' ');
    line = space > ON_SCREEN_MAX_CHARS / 2 ? cut.slice(0, space) : cut;
  }
  if (line !== cleanLine(text)) line = line.replace(/[\s,;:–—-]+$/u, '');
  return line.trim();
}

export function wordCount(text: string): number {
  return cleanLine(text).split(' ').filter(Boolean).length;
}

/**
 * The product's name for the end card: a brief's product is often "Name, a phrase about it";
 * the part before the first comma, dash or bracket is the name, else its first four words.
 */
export function productLabel(product: string): string {
  const line = cleanLine(product);
  const head = line.split(/\s*(?:[,;:(|]|\s[-–—]\s)/u)[0]?.trim() ?? '';
  const name =
    head && wordCount(head) <= 4
      ? head
      : line
          .replace(/^(?:an?|the|our|my)\s+/i, '')
          .split(' ')
          .slice(0, 4)
          .join(' ');
  const fitted = fitOnScreen(name);
  return fitted.charAt(0).toUpperCase() + fitted.slice(1);
}
