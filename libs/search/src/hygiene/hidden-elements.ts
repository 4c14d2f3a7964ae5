import type { Element } from 'domhandler';

/**
 * Elements whose content a reader never sees as text on the page: code, styles,
 * metadata, embedded documents and graphics, inert templates, fallback content.
 * Their text is exactly where injected instructions hide.
 */
const INVISIBLE_ELEMENTS: ReadonlySet<string> = new Set([
  'script', 'style', 'noscript', 'template', 'head', 'title', 'meta', 'link',
  'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'svg', 'math', 'canvas',
]);

/**
 * True when a browser would not show the element's content to a sighted reader,
 * judged from the element alone: its tag, `hidden`, `aria-hidden`, and its
 * inline style. Rules in <style> sheets are not evaluated (that needs a CSS
 * engine); their content is dropped with the <style> element itself.
 */
export function isHiddenElement(element: Element): boolean {
  if (INVISIBLE_ELEMENTS.has(element.name)) return true;
  const attributes = element.attribs;
  if (attributes.hidden !== undefined) return true;
  if (attributes['aria-hidden']?.trim().toLowerCase() === 'true') return true;
  if (element.name === 'input' && attributes.type?.trim().toLowerCase() === 'hidden') return true;
  return attributes.style !== undefined && isHiddenByInlineStyle(attributes.style);
}

/** The hiding techniques seen in prompt-injection pages, in inline style. */
export function isHiddenByInlineStyle(style: string): boolean {
  const declarations = parseDeclarations(style);
  const value = (property: string): string | undefined => declarations.get(property);

  if (value('display') === 'none') return true;
  if (value('visibility') === 'hidden' || value('visibility') === 'collapse') return true;
  if (isNearlyTransparent(value('opacity'))) return true;
  if (isUnreadablySmallFont(value('font-size'))) return true;
  if (isClippedToNothing(declarations)) return true;
  if (isPushedOffScreen(declarations)) return true;
  return isTextColorInvisible(value('color'), value('background-color') ?? value('background'));
}

/** Lowercased property → lowercased value, without comments or `!important`. */
function parseDeclarations(style: string): Map<string, string> {
  const declarations = new Map<string, string>();
  // Comments can split a keyword ("display:/**/none") without changing its meaning.
  const withoutComments = style.replace(/\/\*[\s\S]*?(?:\*\/|$)/g, '');
  for (const declaration of withoutComments.split(';')) {
    const colon = declaration.indexOf(':');
    if (colon === -1) continue;
    const property = declaration.slice(0, colon).trim().toLowerCase();
    const value = declaration
      .slice(colon + 1)
      .replace(/!\s*important/i, '')
      .trim()
      .replace(/\s+/g, ' ')
      .toLowerCase();
    if (property !== '' && value !== '') declarations.set(property, value);
  }
  return declarations;
}

function isNearlyTransparent(opacity: string | undefined): boolean {
  if (opacity === undefined) return false;
  const amount = parseFloat(opacity);
  if (Number.isNaN(amount)) return false;
  // 0.01 is as invisible as 0 and a common way around a check for exactly 0.
  return (opacity.endsWith('%') ? amount / 100 : amount) < 0.05;
}

function isUnreadablySmallFont(fontSize: string | undefined): boolean {
  if (fontSize === undefined) return false;
  const size = parseFloat(fontSize);
  if (Number.isNaN(size)) return false;
  if (size <= 0) return true;
  // 1px text is a visible speck, not readable text.
  return /^[\d.]+(px|pt)$/.test(fontSize) && size < 2;
}

/** A zero-sized box whose overflowing content is cut off. */
function isClippedToNothing(declarations: Map<string, string>): boolean {
  const overflow = declarations.get('overflow') ?? declarations.get('overflow-x') ?? declarations.get('overflow-y');
  if (overflow === undefined || !/\b(hidden|clip)\b/.test(overflow)) return false;
  return ['width', 'height', 'max-width', 'max-height'].some((property) => isZeroLength(declarations.get(property)));
}

/** `left: -9999px` and `text-indent: -9999px` move text out of the viewport. */
function isPushedOffScreen(declarations: Map<string, string>): boolean {
  return ['left', 'top', 'text-indent', 'margin-left', 'margin-top'].some((property) => {
    const offset = parseFloat(declarations.get(property) ?? '');
    return offset <= -999;
  });
}

function isTextColorInvisible(color: string | undefined, background: string | undefined): boolean {
  if (color === undefined) return false;
  if (color === 'transparent') return true;
  return background !== undefined && color.replace(/\s/g, '') === background.replace(/\s/g, '');
}

function isZeroLength(length: string | undefined): boolean {
  return length !== undefined && /^[+-]?0*\.?0+[a-z%]*$/.test(length);
}
