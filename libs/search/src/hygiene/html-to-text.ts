import { parseDocument } from 'htmlparser2';
import type { ChildNode, Element } from 'domhandler';
import { normalizeText } from '../analysis/normalize';
import { isHiddenElement } from './hidden-elements';

/** Elements a browser lays out as separate paragraphs. */
const PARAGRAPH_ELEMENTS: ReadonlySet<string> = new Set([
  'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'section', 'article',
  'header', 'footer', 'main', 'aside', 'nav', 'table', 'figure', 'hr', 'form',
  'fieldset', 'address', 'details',
]);

/**
 * Elements that start a new line but not a new paragraph. Lists are here so
 * that a nested list does not open a paragraph inside its item. <br> is
 * handled on its own.
 */
const LINE_ELEMENTS: ReadonlySet<string> = new Set([
  'div', 'ul', 'ol', 'dl', 'tr', 'dt', 'dd', 'figcaption', 'caption', 'summary', 'legend', 'option',
  'thead', 'tbody', 'tfoot',
]);

const TABLE_CELLS: ReadonlySet<string> = new Set(['td', 'th']);

/**
 * The text a reader sees on the page, with paragraphs as blank lines and list
 * items as "- " lines. Hidden content (see isHiddenElement), comments and
 * markup are dropped; entities are decoded. Never throws on malformed HTML.
 * Callers must bound the input size: htmlparser2 keeps open elements in an
 * array it unshifts, so parse time grows with the square of nesting depth
 * (measured: 200,000 unclosed <div>s, 1 MB, take ~16 s; ordinary 2 MB pages ~0.5 s).
 */
export function htmlToText(html: string): string {
  return normalizeText(visibleText(parseDocument(html).children));
}

/**
 * A title for a page that came without one: its <title>, else its first
 * visible <h1>. Always a single line.
 */
export function htmlTitle(html: string): string | undefined {
  const roots = parseDocument(html).children;
  const titleElement = findFirstElement(roots, (element) => element.name === 'title', { enterHidden: true });
  const title = titleElement && singleLine(rawText(titleElement));
  if (title) return title;

  const heading = findFirstElement(roots, (element) => element.name === 'h1', { enterHidden: false });
  const headingText = heading && singleLine(visibleText([heading]));
  return headingText || undefined;
}

type WalkStep = { node: ChildNode; leaving: false } | { node: Element; leaving: true };

/**
 * Depth-first, in document order, with an explicit stack: real pages nest a
 * few dozen levels, hostile ones tens of thousands, which would overflow the
 * call stack in a recursive walk.
 */
function visibleText(roots: readonly ChildNode[]): string {
  const writer = new TextWriter();
  const stack: WalkStep[] = [];
  pushChildren(stack, roots);

  for (let step = stack.pop(); step !== undefined; step = stack.pop()) {
    if (step.leaving) {
      writer.leave(step.node);
    } else if (step.node.nodeType === 3) {
      writer.text(step.node.data);
    } else if (isElement(step.node) && !isHiddenElement(step.node)) {
      writer.enter(step.node);
      stack.push({ node: step.node, leaving: true });
      pushChildren(stack, step.node.children);
    }
    // Comments, CDATA and processing instructions are not page text.
  }
  return writer.toString();
}

/**
 * Collects text and the breaks between blocks. Breaks are requested, not
 * written: adjacent block boundaries ("</div><div>", "</li></ul></p>") merge
 * into the strongest one instead of piling up, and whitespace between blocks
 * is dropped.
 */
class TextWriter {
  private readonly parts: string[] = [];
  private pendingBreak: 0 | 1 | 2 = 0;
  private preformattedDepth = 0;

  enter(element: Element): void {
    const name = element.name;
    if (name === 'pre') this.preformattedDepth++;
    if (name === 'br') {
      // Unlike block boundaries, consecutive <br>s do add up.
      this.pendingBreak = this.pendingBreak === 0 ? 1 : 2;
    } else if (PARAGRAPH_ELEMENTS.has(name)) {
      this.requestBreak(2);
    } else if (LINE_ELEMENTS.has(name) || name === 'li') {
      this.requestBreak(1);
    }
    if (name === 'li') this.text('- ');
  }

  leave(element: Element): void {
    const name = element.name;
    if (name === 'pre') this.preformattedDepth--;
    if (PARAGRAPH_ELEMENTS.has(name)) this.requestBreak(2);
    else if (LINE_ELEMENTS.has(name) || name === 'li') this.requestBreak(1);
    else if (TABLE_CELLS.has(name)) this.text(' ');
  }

  text(data: string): void {
    const preformatted = this.preformattedDepth > 0;
    // Outside <pre>, HTML renders any run of source whitespace as one space;
    // non-breaking spaces are not HTML whitespace and stay (NFKC maps them later).
    const text = preformatted ? data : data.replace(/[ \t\n\r\f]+/g, ' ');
    if (text === '') return;
    if (this.pendingBreak > 0) {
      if (!preformatted && text === ' ') return;
      if (this.parts.length > 0) this.parts.push(this.pendingBreak === 2 ? '\n\n' : '\n');
      this.pendingBreak = 0;
    }
    this.parts.push(text);
  }

  toString(): string {
    return this.parts.join('');
  }

  private requestBreak(strength: 1 | 2): void {
    if (strength > this.pendingBreak) this.pendingBreak = strength;
  }
}

function findFirstElement(
  roots: readonly ChildNode[],
  matches: (element: Element) => boolean,
  options: { enterHidden: boolean },
): Element | undefined {
  const stack: ChildNode[] = [...roots].reverse();
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (!isElement(node)) continue;
    if (!options.enterHidden && isHiddenElement(node)) continue;
    if (matches(node)) return node;
    for (let index = node.children.length - 1; index >= 0; index--) stack.push(node.children[index]);
  }
  return undefined;
}

/** All text under an element, hidden or not (for <title>, which is raw text). */
function rawText(element: Element): string {
  const texts: string[] = [];
  const stack: ChildNode[] = [...element.children].reverse();
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (node.nodeType === 3) texts.push(node.data);
    else if (isElement(node)) for (let index = node.children.length - 1; index >= 0; index--) stack.push(node.children[index]);
  }
  return texts.join('');
}

function pushChildren(stack: WalkStep[], children: readonly ChildNode[]): void {
  for (let index = children.length - 1; index >= 0; index--) stack.push({ node: children[index], leaving: false });
}

function isElement(node: ChildNode): node is Element {
  // <script> and <style> have their own node types but are still elements.
  return 'attribs' in node;
}

function singleLine(text: string): string {
  return normalizeText(text).replace(/\s*\n+\s*/g, ' ');
}
