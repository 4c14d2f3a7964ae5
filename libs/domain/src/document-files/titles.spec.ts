import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { frontMatterTitle, splitFrontMatter } from './front-matter';
import { decodeEntities, fileNameTitle, firstMarkdownHeading, htmlTitle, markdownTitle } from './titles';

describe('markdown front matter', () => {
  it('splits the block off the body', () => {
    const { frontMatter, body } = splitFrontMatter('---\ntitle: Hello\ntags: [a]\n---\n# Heading\ntext\n');
    assert.equal(frontMatter, 'title: Hello\ntags: [a]');
    assert.equal(body, '# Heading\ntext\n');
  });

  it('handles CRLF, empty blocks and leaves text without front matter alone', () => {
    assert.equal(splitFrontMatter('---\r\ntitle: A\r\n---\r\nbody').body, 'body');
    expect(splitFrontMatter('---\n---\nbody')).toStrictEqual({ frontMatter: '', body: 'body' });
    expect(splitFrontMatter('text\n---\nmore')).toStrictEqual({ frontMatter: undefined, body: 'text\n---\nmore' });
    // An unterminated block is just a thematic break followed by text.
    assert.equal(splitFrontMatter('---\ntitle: x\n').frontMatter, undefined);
  });

  it('reads plain, quoted and commented titles', () => {
    assert.equal(frontMatterTitle('title: Plain Title'), 'Plain Title');
    assert.equal(frontMatterTitle('title: "Colon: \\"quoted\\""'), 'Colon: "quoted"');
    assert.equal(frontMatterTitle("title: 'It''s here'"), "It's here");
    assert.equal(frontMatterTitle('title: Draft # todo'), 'Draft');
    assert.equal(frontMatterTitle('subtitle: no\n  title: nested'), undefined);
    assert.equal(frontMatterTitle('title: >\n  folded'), undefined);
  });
});

describe('markdownTitle', () => {
  it('prefers front matter, then the first # heading', () => {
    assert.equal(markdownTitle('title: From Front Matter', '# Heading'), 'From Front Matter');
    assert.equal(markdownTitle('author: me', '## Sub\n# Main Heading ##\n# Second'), 'Main Heading');
    assert.equal(markdownTitle(undefined, 'no heading here'), undefined);
  });

  it('ignores headings inside fenced code blocks', () => {
    assert.equal(firstMarkdownHeading('```sh\n# comment\n```\n# Real'), 'Real');
    assert.equal(firstMarkdownHeading('~~~\n# a\n```\n# still code\n~~~\n# Real'), 'Real');
  });

  it('does not take #hashtags or indented code as headings', () => {
    assert.equal(firstMarkdownHeading('#hashtag\n    # indented code\n# Title'), 'Title');
  });
});

describe('htmlTitle', () => {
  it('uses <title>, decoding entities and collapsing whitespace', () => {
    assert.equal(htmlTitle('<html><head><TITLE lang="en">\n Tom &amp; Jerry&#39;s   page</TITLE></head></html>'), "Tom & Jerry's page");
  });

  it('falls back to the first <h1> with inner tags removed', () => {
    assert.equal(htmlTitle('<title>  </title><h10>no</h10><h1 class="x">Hello <em>world</em></h1><h1>Second</h1>'), 'Hello world');
  });

  it('returns undefined without a title or h1, including unterminated tags', () => {
    assert.equal(htmlTitle('<p>just text</p>'), undefined);
    assert.equal(htmlTitle('<title>never closed'), undefined);
    assert.equal(htmlTitle('<titles>not a title</titles>'), undefined);
  });

  it('decodes each entity only once', () => {
    assert.equal(decodeEntities('&amp;lt; &#x1F600; &unknown; &#0;'), '&lt; 😀 &unknown; &#0;');
  });
});

describe('fileNameTitle', () => {
  it('uses the file name without its extension', () => {
    assert.equal(fileNameTitle('guides/getting-started.md'), 'getting-started');
    assert.equal(fileNameTitle('README'), 'README');
    assert.equal(fileNameTitle('archive.tar.txt'), 'archive.tar');
  });
});
