import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES, COMMANDS } from '../../src/cli/help.js';
import { type Io, run } from '../../src/cli/main.js';
import { didYouMean, editDistance } from '../../src/cli/suggest.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

function cli(columns?: number) {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    // No store folder: help must not need one (a command that opened the store would fail here).
    env: { MESH_HELP_DATA_DIR: '/nonexistent/mesh-help-help-test' },
    stdinIsTTY: false,
    now: () => new Date('2026-11-25T12:00:00Z'),
    columns,
  };
  return { io, out, err, run: (...argv: string[]) => run(argv, io) };
}

describe('help, --version and did-you-mean', () => {
  it.each([40, 80, 120])('the top-level help lists every command, each line within %i columns', async (width) => {
    const t = cli(width);
    expect(await t.run('help')).toBe(0);
    const text = t.out.join('\n');
    for (const name of COMMAND_NAMES) expect(text).toMatch(new RegExp(`^ {2}${name} +\\S`, 'm'));
    for (const line of text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(width);
    // With no command at all, the same list.
    const bare = cli(width);
    expect(await bare.run()).toBe(0);
    expect(bare.out).toEqual(t.out);
  });

  it.each(COMMANDS.map((c) => c.name))(
    '`%s --help` prints that command’s usage and options and runs nothing',
    async (name) => {
      for (const width of [40, 100]) {
        const t = cli(width);
        expect(await t.run(name, '--help')).toBe(0);
        const text = t.out.join('\n');
        expect(text.startsWith(`mesh-help ${name}: `)).toBe(true);
        expect(text).toMatch(/\nUsage:\n {2}mesh-help /);
        for (const line of text.split('\n')) {
          // A usage line longer than the width can only be one unbreakable word (a URL).
          if (line.length > width) expect(line.trim(), line).not.toMatch(/ \[/);
        }
        const c = COMMANDS.find((x) => x.name === name);
        for (const [flag] of c?.options ?? []) expect(text).toContain(flag.split(' ')[0]);
        expect(t.err).toEqual([]);
        // `help NAME` and `-h` say the same.
        const again = cli(width);
        expect(await again.run('help', name)).toBe(0);
        expect(again.out).toEqual(t.out);
        const short = cli(width);
        expect(await short.run(name, '-h')).toBe(0);
        expect(short.out).toEqual(t.out);
      }
    },
  );

  it('decide --help explains every verb, and a subcommand with --help touches no store', async () => {
    const t = cli(80);
    expect(await t.run('decide', 'accept', 'ADR-1', '--help')).toBe(0);
    const text = t.out.join('\n');
    for (const verb of ['accept', 'reject', 'deprecate', 'reopen', 'supersede']) expect(text).toContain(verb);
    expect(text).toContain('--with ADR-M');
  });

  it('--version prints the package version', async () => {
    for (const flag of ['--version', '-V', 'version']) {
      const t = cli();
      expect(await t.run(flag)).toBe(0);
      expect(t.out).toEqual([`mesh-help ${pkg.version}`]);
    }
  });

  it.each([
    ['intervew', 'interview'],
    ['decsions', 'decisions'],
    ['desicions', 'decisions'],
    ['recomend', 'recommend'],
    ['exprot', 'export'],
    ['decied', 'decide'],
    ['comapre', 'compare'],
    ['hepl', 'help'],
  ])('a mistyped "%s" exits 2 and suggests "%s"', async (typed, meant) => {
    const t = cli();
    expect(await t.run(typed)).toBe(2);
    expect(t.out).toEqual([]);
    expect(t.err.join('\n')).toContain(`unknown command "${typed}". Did you mean "${meant}"?`);
    expect(t.err.join('\n')).toContain('`mesh-help help` lists every command.');
  });

  it('suggests nothing for a word close to no command, and help for an unknown topic exits 2', async () => {
    const t = cli();
    expect(await t.run('kubectl')).toBe(2);
    expect(t.err.join('\n')).not.toContain('Did you mean');
    const topic = cli();
    expect(await topic.run('help', 'intervew')).toBe(2);
    expect(topic.err.join('\n')).toContain('Did you mean "interview"?');
  });

  it('counts edits with swaps of neighbours as one, and keeps guesses close', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('hepl', 'help')).toBe(1);
    expect(editDistance('ca', 'abc')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
    expect(didYouMean('st', ['start', 'store'])).toBeUndefined();
    expect(didYouMean('sta', ['start', 'store'])).toBe('start');
    expect(didYouMean('xyzzy', COMMAND_NAMES)).toBeUndefined();
  });
});
