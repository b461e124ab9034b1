import { escapeFilterValue } from './filter-escape.ts';
import type { LayerItem, TextItem, TextLayer } from './text-layer.ts';

/**
 * The text layer as an ASS subtitle document, drawn by libass (ffmpeg's `ass` filter) in the
 * compose pass. Why libass and not drawtext: libass shapes text with HarfBuzz and orders it with
 * FriBidi, so Arabic joins and runs right to left and Devanagari forms its conjuncts; drawtext
 * in Debian's ffmpeg 5.1 draws codepoints one by one (no shaping, no bidi). libass also falls
 * back per glyph through fontconfig, animates (\fad, \move, \t) and draws boxes, in one filter.
 */

/** Word joiner: invisible, but it stops libass reading `\N`, `\h`, `\n` after a backslash. */
const WJ = '\u2060';

/**
 * Text from people or the LLM is drawn literally: `{` would open an override block (`{\fs200}`,
 * `{\p1}` a drawing), `\N` `\n` `\h` are line break and hard space. libass reads `\{` and `\}`
 * as literal braces; a backslash gets a word joiner behind it. Line breaks and other control
 * characters would end the Dialogue line (and inject events), so they become spaces.
 */
export function escapeAssText(text: string): string {
  return text
    .replace(/[\p{Cc}\u2028\u2029]/gu, ' ')
    .replace(/[\\{}]/g, (c) => (c === '\\' ? `\\${WJ}` : `\\${c}`));
}

/** `#rrggbb` + opacity to ASS's `&HAABBGGRR` (alpha 00 is opaque). */
export function assColour(hex: string, opacity = 1): string {
  const a = Math.round((1 - opacity) * 255);
  const h = (v: number) => v.toString(16).toUpperCase().padStart(2, '0');
  return `&H${h(a)}${hex.slice(5, 7)}${hex.slice(3, 5)}${hex.slice(1, 3)}`.toUpperCase();
}

/** An alpha override value (`\\1a`, `\\3a`): `&HAA&`, 00 opaque. */
export function assAlpha(opacity: number): string {
  return `&H${Math.round((1 - opacity) * 255)
    .toString(16)
    .toUpperCase()
    .padStart(2, '0')}&`;
}

/** ASS timestamps are h:mm:ss.cc (centiseconds). */
export function assTime(s: number): string {
  const cs = Math.max(0, Math.round(s * 100));
  const h = Math.floor(cs / 360000);
  const m = Math.floor((cs % 360000) / 6000);
  const sec = Math.floor((cs % 6000) / 100);
  const two = (v: number) => String(v).padStart(2, '0');
  return `${h}:${two(m)}:${two(sec)}.${two(cs % 100)}`;
}

const FADE_MS = 250;
const CAPTION_FADE_MS = 60;

/** Our own override tags (never user text): position, font, colours, animation. */
function textTags(t: TextItem): string {
  const tags = [`\\an5`, `\\fn${t.font}`, `\\fs${t.fontSize}`, `\\1c${assColour(t.ink)}`];
  if (t.backing) {
    tags.push(`\\bord${t.pad}`, `\\3c${assColour(t.backing.colour)}`, `\\3a${assAlpha(t.backing.alpha)}`);
  } else {
    // Without a panel: a thin contrasting outline keeps the type legible on any picture.
    const outline = Math.max(1, Math.round(t.fontSize * 0.06));
    tags.push(`\\bord${outline}`, `\\3c${assColour(t.ink === '#000000' ? '#ffffff' : '#000000')}`);
  }
  // Captions follow speech phrase by phrase: a long fade would blur one phrase into the next.
  const fade = t.role === 'caption' ? CAPTION_FADE_MS : FADE_MS;
  tags.push('\\shad0', `\\fad(${fade},${fade})`);
  if (t.anim === 'slide') tags.push(`\\move(${t.x},${t.y + t.slidePx},${t.x},${t.y},0,${FADE_MS + 100})`);
  else tags.push(`\\pos(${t.x},${t.y})`);
  // Word pop: in small, overshoot, settle (all inside the box the layout reserved for 1.08x).
  if (t.anim === 'pop')
    tags.push('\\fscx70\\fscy70\\t(0,180,\\fscx108\\fscy108)\\t(180,320,\\fscx100\\fscy100)');
  return `{${tags.join('')}}`;
}

function dialogue(layer: number, item: LayerItem, style: string, text: string): string {
  return `Dialogue: ${layer},${assTime(item.startS)},${assTime(item.endS)},${style},,0,0,0,,${text}`;
}

function itemLine(item: LayerItem): string {
  if (item.kind === 'rect') {
    const { x, y, w, h } = item.box;
    const fill = `\\1c${assColour(item.colour)}\\1a${assAlpha(item.alpha)}`;
    const tags = `{\\an7\\pos(${x},${y})\\bord0\\shad0${fill}\\fad(${FADE_MS},0)\\p1}`;
    return dialogue(0, item, 'Plain', `${tags}m 0 0 l ${w} 0 ${w} ${h} 0 ${h}{\\p0}`);
  }
  const text = item.lines.map(escapeAssText).join('\\N');
  return dialogue(1, item, item.backing ? 'Panel' : 'Plain', `${textTags(item)}${text}`);
}

/** A whole `.ass` file: pixel coordinates (PlayRes = frame), no automatic wrapping. */
export function buildAssDocument(layer: TextLayer): string {
  return [
    '[Script Info]',
    'ScriptType: v4.00+',
    `PlayResX: ${layer.width}`,
    `PlayResY: ${layer.height}`,
    // 2 = break only where the layout put \N: line breaks are the layout's, never libass's.
    'WrapStyle: 2',
    'ScaledBorderAndShadow: yes',
    'YCbCr Matrix: None',
    '',
    '[V4+ Styles]',
    'Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding',
    // Panel: BorderStyle 3 turns the outline into a box behind each line (legible anywhere).
    'Style: Panel,Noto Sans,40,&H00FFFFFF,&H00FFFFFF,&H00000000,&H00000000,-1,0,0,0,100,100,0,0,3,0,0,5,0,0,0,1',
    'Style: Plain,Noto Sans,40,&H00FFFFFF,&H00FFFFFF,&H00000000,&H00000000,-1,0,0,0,100,100,0,0,1,0,0,5,0,0,0,1',
    '',
    '[Events]',
    'Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text',
    ...layer.items.map(itemLine),
    '',
  ].join('\n');
}

/**
 * The filter that draws the document. Fonts come from fontconfig (the system's Noto set, see
 * scripts/setup.sh); a brand font would be added with `fontsdir=`. The path is generated by
 * us and escaped for the graph; the text itself never enters the graph.
 */
export function textLayerFilter(assPath: string): string {
  return `ass=filename=${escapeFilterValue(assPath)}:shaping=complex`;
}
