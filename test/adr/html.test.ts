import { describe, expect, it } from 'vitest';
import { inlineHtml, markdownToHtml } from '../../src/adr/html.js';
import { escapeHtml, renderHtml } from '../../src/adr/index.js';
import { getFlow } from '../../src/engine/load.js';

describe('HTML export, pure parts', () => {
  it('escapes every character that could open a tag or end an attribute', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;');
  });

  it('reads the Markdown mesh-help writes back to text, then escapes it again: only its own tags reach the page', () => {
    expect(inlineHtml('Stay \\*calm\\* &lt;script&gt; &amp;amp; **bold**')).toBe(
      'Stay *calm* &lt;script&gt; &amp;amp; <strong>bold</strong>',
    );
    expect(inlineHtml('[ADR-0002: Next](0002-next.md)')).toBe('<a href="#adr-0002">ADR-0002: Next</a>');
    expect(inlineHtml('[thread](https://x.slack.com/archives/C1/p1?a=1&b="2")')).toBe(
      '<a href="https://x.slack.com/archives/C1/p1?a=1&amp;b=%222%22">thread</a>',
    );
    // A link to anything but http(s) or a record stays plain text.
    expect(inlineHtml('[x](javascript:alert%281%29)')).toBe('x');
    expect(inlineHtml('[x](data:text/html,hi)')).toBe('x');
  });

  it('turns headings, nested lists and paragraphs into HTML, one level below the page heading', () => {
    expect(markdownToHtml('# T\n\nSome\ntext.\n\n- a\n  - b\n- c\n\n## S')).toBe(
      '<h2>T</h2>\n<p>Some text.</p>\n<ul><li>\na\n<ul><li>\nb\n</li></ul>\n</li><li>\nc\n</li></ul>\n<h3>S</h3>',
    );
  });

  it('an empty log is still a valid page that says so', () => {
    const html = renderHtml(getFlow(), 'T<1>', []);
    expect(html).toContain('<title>Decision records of team T&lt;1&gt;</title>');
    expect(html).toContain('0 of 0 records shown');
    expect(html).toContain('No record supersedes another yet.');
    expect(html).not.toMatch(/https?:\/\/(?!adr\.github)/);
  });
});
