import { describe, expect, it } from 'vitest';
import { SUBCOMMANDS } from '../../src/slack/blocks/menu.js';
import { parseCommand, suggest } from '../../src/slack/commands.js';
import { clip, escapeText } from '../../src/slack/escape.js';

describe('parseCommand', () => {
  it('reads each subcommand and its arguments', () => {
    expect(parseCommand('')).toEqual({ kind: 'menu' });
    expect(parseCommand('  start   Payments  platform ')).toEqual({ kind: 'start', title: 'Payments  platform' });
    expect(parseCommand('start')).toEqual({ kind: 'start', title: '' });
    expect(parseCommand('compare Service-Mesh cluster-mesh')).toEqual({
      kind: 'compare',
      patterns: ['service-mesh', 'cluster-mesh'],
    });
    expect(parseCommand('DECISIONS')).toEqual({ kind: 'decisions' });
    expect(parseCommand('export')).toEqual({ kind: 'export' });
    expect(parseCommand('help')).toEqual({ kind: 'help' });
  });

  it('suggests the closest subcommand for a typo, and nothing for gibberish', () => {
    expect(parseCommand('strat')).toMatchObject({ kind: 'unknown', given: 'strat', suggestion: 'start' });
    expect(parseCommand('decision')).toMatchObject({ suggestion: 'decisions' });
    expect(parseCommand('comp')).toMatchObject({ suggestion: 'compare' });
    expect(parseCommand('xyzzyq')).toMatchObject({ kind: 'unknown', suggestion: undefined });
    expect(suggest('hlep', SUBCOMMANDS)).toBe('help');
  });
});

describe('escapeText', () => {
  it('escapes exactly &, < and >', () => {
    expect(escapeText('<!here> & <@U1|x> *bold* _it_ "q"')).toBe('&lt;!here&gt; &amp; &lt;@U1|x&gt; *bold* _it_ "q"');
  });

  it('clip never leaves half an entity', () => {
    const cut = clip(`${'a'.repeat(8)}&amp;b`, 11);
    expect(cut.length).toBeLessThanOrEqual(11);
    expect(cut).not.toMatch(/&[a-z]*…$/);
  });
});
