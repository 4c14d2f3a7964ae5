import { frontMatterTitle } from './front-matter';

/**
 * Title extraction for plain files. Deliberately simple string scanning (no
 * regex backtracking over whole documents); the server sanitizes HTML, so the
 * CLI only needs a readable title.
 */

/** Front matter `title:` wins, then the first `# ` heading outside code fences. */
export function markdownTitle(frontMatter: string | undefined, body: string): string | undefined {
  const fromFrontMatter = frontMatter === undefined ? undefined : frontMatterTitle(frontMatter);
  return fromFrontMatter ?? firstMarkdownHeading(body);
}

export function firstMarkdownHeading(markdown: string): string | undefined {
  let fence: string | undefined;
  for (const line of markdown.split(/\r?\n/)) {
    const fenceMatch = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fenceMatch) {
      const marker = fenceMatch[1];
      if (fence === undefined) fence = marker;
      else if (marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      continue;
    }
    if (fence !== undefined) continue;
    const heading = /^ {0,3}#[ \t]+(.*)$/.exec(line);
    if (heading) {
      // "# Title ##" — closing hashes are decoration in CommonMark.
      const text = heading[1].replace(/[ \t]+#+[ \t]*$/, '').trim();
      if (text) return text;
    }
  }
  return undefined;
}

/** `<title>` first, then the first `<h1>`, with tags removed and entities decoded. */
export function htmlTitle(html: string): string | undefined {
  return elementText(html, 'title') ?? elementText(html, 'h1');
}

function elementText(html: string, tag: string): string | undefined {
  const lower = html.toLowerCase();
  let searchFrom = 0;
  for (;;) {
    const open = lower.indexOf(`<${tag}`, searchFrom);
    if (open < 0) return undefined;
    const afterName = lower[open + tag.length + 1];
    searchFrom = open + tag.length + 1;
    // Skip e.g. `<h10>` or `<titles>`: the tag name must end here.
    if (afterName !== '>' && !/\s|\//.test(afterName ?? '')) continue;
    const contentStart = lower.indexOf('>', open);
    if (contentStart < 0) return undefined;
    const close = lower.indexOf(`</${tag}`, contentStart);
    if (close < 0) return undefined;
    const text = cleanText(html.slice(contentStart + 1, close));
    if (text) return text;
    searchFrom = close;
  }
}

function cleanText(fragment: string): string {
  return decodeEntities(fragment.replace(/<[^>]*>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

/** One pass, so `&amp;lt;` correctly becomes `&lt;` rather than `<`. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,8});/gi, (entity, body: string) => {
    if (body[0] === '#') {
      const codePoint = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return codePoint > 0 && codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : entity;
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? entity;
  });
}

/** `guides/getting-started.md` → `getting-started` (a leading dot is part of the name, as `.env`). */
export function fileNameTitle(relativePath: string): string {
  const base = relativePath.slice(relativePath.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}
