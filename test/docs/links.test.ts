import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const SKIP = new Set(['node_modules', 'dist', 'data', '.git', 'test-artifacts', 'coverage', 'preview']);

/** Every Markdown file of the repository (what a clone has), outside installed and generated folders. */
function markdownFiles(dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (SKIP.has(e.name)) return [];
    const path = join(dir, e.name);
    if (e.isDirectory()) return markdownFiles(path);
    return e.name.endsWith('.md') ? [path] : [];
  });
}

/** GitHub's heading anchor: lower-cased, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/[^\p{L}\p{N} -]/gu, '')
    .replace(/ /g, '-');
}

/** The link targets of a Markdown text: inline links and images, and HTML src/href, outside code. */
function linkTargets(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  const inline = [...prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1] as string);
  const html = [...prose.matchAll(/\b(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string);
  return [...inline, ...html];
}

function anchorsOf(file: string): Set<string> {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  return new Set([...text.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => slug(m[1] as string)));
}

/** What is wrong with one link of `file`, or undefined when it leads somewhere the clone has. */
function brokenLink(file: string, target: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return undefined; // https:, mailto: … leave the repository on purpose
  const [path = '', anchor] = target.split('#');
  const dest = path === '' ? file : resolve(dirname(file), decodeURIComponent(path));
  if (!dest.startsWith(root)) return `${target} leaves the repository`;
  if (!existsSync(dest)) return `${target}: no such file`;
  if (anchor && statSync(dest).isFile() && dest.endsWith('.md') && !anchorsOf(dest).has(anchor)) {
    return `${target}: no heading #${anchor}`;
  }
  return undefined;
}

describe('Markdown links', () => {
  it('finds inline links, images and HTML sources, and ignores code', () => {
    const md = '[a](docs/a.md) ![p](img/p.png "t") <img src="x.png"> `[no](code.md)`\n```\n[no](block.md)\n```';
    expect(linkTargets(md)).toEqual(['docs/a.md', 'img/p.png', 'x.png']);
    expect(slug('Put it in Slack (5 minutes, Socket Mode)')).toBe('put-it-in-slack-5-minutes-socket-mode');
  });

  it('reports a missing file, a missing heading and a path outside the clone', () => {
    const readme = join(root, 'README.md');
    expect(brokenLink(readme, 'docs/nowhere.md')).toMatch(/no such file/);
    expect(brokenLink(readme, 'LICENSE')).toBeUndefined();
    expect(brokenLink(readme, '#no-such-heading')).toMatch(/no heading/);
    expect(brokenLink(readme, '../shared/spec/interview.md')).toMatch(/leaves the repository/);
  });

  it('every relative link in every Markdown file leads to a file (and heading) the clone has', () => {
    const files = markdownFiles();
    expect(files.map((f) => relative(root, f))).toContain('README.md');
    const broken = files.flatMap((file) =>
      linkTargets(readFileSync(file, 'utf8')).flatMap((t) => {
        const why = brokenLink(file, t);
        return why ? [`${relative(root, file)}: ${why}`] : [];
      }),
    );
    expect(broken).toEqual([]);
  });
});
