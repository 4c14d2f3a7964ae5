import { OPTIONAL_DOCUMENT_FIELD_NAMES, OPTIONAL_DOCUMENT_FIELDS, type OptionalDocumentFieldName } from '../document-fields';

/**
 * Markdown front matter: a `---` block at the very top of the file. Only the
 * `title:` key is used; the block itself is removed from the indexed text
 * because it is metadata, not content.
 */

export interface SplitMarkdown {
  /** The raw lines between the delimiters, or undefined when there is no front matter. */
  frontMatter: string | undefined;
  body: string;
}

// Anchored at the start, so the lazy match is attempted from one position only.
const FRONT_MATTER = /^---[ \t]*\r?\n(?:([\s\S]*?)\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;

export function splitFrontMatter(markdown: string): SplitMarkdown {
  const match = FRONT_MATTER.exec(markdown);
  if (!match) return { frontMatter: undefined, body: markdown };
  return { frontMatter: match[1] ?? '', body: markdown.slice(match[0].length) };
}

/** Reads a top-level `title:` (plain, "double" or 'single' quoted). Block scalars are ignored. */
export function frontMatterTitle(frontMatter: string): string | undefined {
  return frontMatterValue(frontMatter, 'title');
}

/**
 * The document's optional fields (lastModified, …) by their name or column name (`last_modified:`),
 * as written; the server validates them.
 */
export function frontMatterFields(frontMatter: string): Partial<Record<OptionalDocumentFieldName, string>> {
  const fields: Partial<Record<OptionalDocumentFieldName, string>> = {};
  for (const name of OPTIONAL_DOCUMENT_FIELD_NAMES) {
    const value = frontMatterValue(frontMatter, name) ?? frontMatterValue(frontMatter, OPTIONAL_DOCUMENT_FIELDS[name].column);
    if (value !== undefined) fields[name] = value;
  }
  return fields;
}

function frontMatterValue(frontMatter: string, key: string): string | undefined {
  const match = new RegExp(`^${key}[ \\t]*:[ \\t]*(.*?)[ \\t]*\\r?$`, 'm').exec(frontMatter);
  if (!match) return undefined;
  const value = unquote(match[1]);
  return value && value.trim() ? value.trim() : undefined;
}

function unquote(raw: string): string | undefined {
  if (raw === '' || raw === '|' || raw === '>' || raw.startsWith('|') || raw.startsWith('>')) return undefined;
  if (raw.startsWith('"')) {
    const closing = raw.lastIndexOf('"');
    if (closing <= 0) return raw.slice(1);
    const quoted = raw.slice(0, closing + 1);
    try {
      return JSON.parse(quoted) as string;
    } catch {
      return quoted.slice(1, -1);
    }
  }
  if (raw.startsWith("'")) {
    const closing = raw.lastIndexOf("'");
    return (closing <= 0 ? raw.slice(1) : raw.slice(1, closing)).replace(/''/g, "'");
  }
  // In YAML, " #" starts a comment on a plain scalar.
  return raw.replace(/\s+#.*$/, '');
}
