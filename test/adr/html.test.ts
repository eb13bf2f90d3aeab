import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { escapeHtml, markdownToHtml, renderHtml } from '../../src/adr/html.js';
import { getFlow } from '../../src/engine/load.js';
import { add, flow, hostileTeam } from './fixtures.js';

describe('HTML export, pure parts', () => {
  it('escapes every character that could open a tag or end an attribute', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;');
  });

  it('reads the Markdown mesh-help writes back to text, then escapes it again: only its own tags reach the page', () => {
    expect(markdownToHtml('Stay \\*calm\\* &lt;script&gt; &amp;amp; **bold**')).toBe(
      '<p>Stay *calm* &lt;script&gt; &amp;amp; <strong>bold</strong></p>',
    );
    expect(markdownToHtml('[ADR-0002: Next](0002-next.md)')).toBe('<p><a href="#adr-0002">ADR-0002: Next</a></p>');
    expect(markdownToHtml('[thread](https://x.slack.com/archives/C1/p1?a=1&b=%222%22)')).toBe(
      '<p><a href="https://x.slack.com/archives/C1/p1?a=1&amp;b=%222%22">thread</a></p>',
    );
  });

  it('keeps no script, event handler, raw HTML, image or link that is not http(s) or a record, whatever the Markdown says', () => {
    const html = markdownToHtml(
      [
        '<script>alert(1)</script> <img src=x onerror=alert(1)>',
        '[a](javascript:alert%281%29) [b](data:text/html,hi) [c](mailto:x@y) [d](other.md) ![i](https://evil/i.png)',
        '<a href="javascript:alert(1)">e</a>',
      ].join('\n\n'),
    );
    const tags = html.match(/<[a-z][^>]*>/g) ?? [];
    expect([...new Set(tags)].sort()).toEqual(['<p>']);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('(other.md) i</p>'); // an image is its alt text
  });

  it('turns headings, nested lists, tables and paragraphs into HTML, one level below the page heading', () => {
    expect(markdownToHtml('# T\n\nSome\ntext.\n\n- a\n  - b\n- c\n\n## S')).toBe(
      '<h2>T</h2>\n<p>Some\ntext.</p>\n<ul>\n<li>a\n<ul>\n<li>b</li>\n</ul>\n</li>\n<li>c</li>\n</ul>\n<h3>S</h3>',
    );
    expect(markdownToHtml('| a | b |\n|---|--:|\n| 1 | 2 |')).toBe(
      '<table>\n<thead>\n<tr>\n<th>a</th>\n<th style="text-align:right">b</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>1</td>\n<td style="text-align:right">2</td>\n</tr>\n</tbody>\n</table>',
    );
  });

  it('renders a task list as disabled checkboxes, ticked where the item is done; an escaped [x] stays text', () => {
    expect(markdownToHtml('- [ ] Open\n- [x] Done\n- \\[x\\] typed by a user')).toBe(
      '<ul>\n<li class="task-list-item"><input type="checkbox" disabled /> Open</li>\n' +
        '<li class="task-list-item"><input type="checkbox" disabled checked /> Done</li>\n<li>[x] typed by a user</li>\n</ul>',
    );
  });

  it("puts each record in a folded <details> whose summary holds its number, status and title, and the record's checklist as checkboxes", () => {
    const doc = hostileTeam();
    add(doc, { title: 'Adopt a cluster mesh' });
    const html = renderHtml(flow, 'T1', doc.decisions);
    expect(html.match(/<details>/g)).toHaveLength(3);
    expect(html).not.toMatch(/<details open/);
    expect(html).toMatch(
      /<article id="adr-0003"[^>]*>\n<details>\n<summary><span class="meta">ADR-0003 · <span class="status s-accepted">accepted<\/span> · 2026-11-25 · [^<]+<\/span>\n<h2>Adopt a cluster mesh<\/h2><\/summary>/,
    );
    expect(html).toMatch(/<li class="task-list-item"><input type="checkbox" disabled \/> /);
    expect(html).not.toMatch(/<li>\[ \]/);
  });

  it('escapes a stored field whatever it holds (a time that is not ISO shows as unknown), and allows only its own script, by hash', () => {
    const doc = hostileTeam();
    const d = doc.decisions[0];
    if (!d) throw new Error('no record');
    // A team file edited by hand (or by an attacker) with markup in a time field.
    Object.assign(d, { updatedAt: '<script>alert(1)</script>' });
    const html = renderHtml(getFlow(), 'T1', doc.decisions);
    expect(html.split('<script').length - 1).toBe(1);
    expect(html).toContain('<td class="nw">unknown</td>');
    const csp = /Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? '');
    expect(scripts).toHaveLength(1);
    const hash = createHash('sha256')
      .update(scripts[0] ?? '')
      .digest('base64');
    expect(csp).toContain(`script-src 'sha256-${hash}'`);
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  });

  it('an empty log is still a valid page that says so', () => {
    const html = renderHtml(getFlow(), 'T<1>', []);
    expect(html).toContain('<title>Decision records of team T&lt;1&gt;</title>');
    expect(html).toContain('0 of 0 records shown');
    expect(html).toContain('No record supersedes another yet.');
    expect(html).not.toMatch(/https?:\/\/(?!adr\.github)/);
  });
});
