import { describe, expect, it } from 'vitest';
import { SUBCOMMANDS } from '../../../../src/slack/blocks/menu.js';
import { clip, escapeText } from '../../../../src/slack/escape.js';
import { parseCommand, suggest } from '../../../../src/slack/listeners/commands/parse.js';

describe('parseCommand', () => {
  it('stores a title as typed: Slack sends &, < and > escaped, and the bot escapes them again only on display', () => {
    expect(parseCommand('start Payments &amp; Ledger &lt;!channel&gt;')).toEqual({
      kind: 'start',
      title: 'Payments & Ledger <!channel>',
    });
    expect(escapeText('Payments & Ledger <!channel>')).toBe('Payments &amp; Ledger &lt;!channel&gt;');
  });

  it('reads each subcommand and its arguments', () => {
    expect(parseCommand('')).toEqual({ kind: 'menu' });
    expect(parseCommand('  start   Payments  platform ')).toEqual({ kind: 'start', title: 'Payments  platform' });
    expect(parseCommand('start')).toEqual({ kind: 'start', title: '' });
    expect(parseCommand('compare Service-Mesh cluster-mesh')).toEqual({
      kind: 'compare',
      patterns: ['service-mesh', 'cluster-mesh'],
    });
    expect(parseCommand('DECISIONS')).toEqual({ kind: 'decisions' });
    expect(parseCommand('export')).toEqual({ kind: 'export', to: 'slack' });
    expect(parseCommand('export PR')).toEqual({ kind: 'export', to: 'pr' });
    expect(parseCommand('export git')).toEqual({ kind: 'export', to: 'git' });
    expect(parseCommand('export pr now')).toMatchObject({ kind: 'export', to: { bad: expect.any(String) } });
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

describe('parseCommand: config and revisit', () => {
  it('reads config settings: channels as Slack escapes them or as ids, approvals 0 to 10', () => {
    expect(parseCommand('config')).toEqual({ kind: 'config', change: { kind: 'form' } });
    expect(parseCommand('config show')).toEqual({ kind: 'config', change: { kind: 'show' } });
    expect(parseCommand('config channel <#C0DECIDE|decisions>')).toEqual({
      kind: 'config',
      change: { kind: 'channel', channel: 'C0DECIDE' },
    });
    expect(parseCommand('config channel <#G0PRIV>')).toMatchObject({ change: { channel: 'G0PRIV' } });
    expect(parseCommand('config channel C0RAW')).toMatchObject({ change: { channel: 'C0RAW' } });
    expect(parseCommand('config channel none')).toMatchObject({ change: { kind: 'channel-off' } });
    expect(parseCommand('config channel #decisions')).toMatchObject({ change: { kind: 'bad' } });
    expect(parseCommand('config approvals 10')).toMatchObject({ change: { kind: 'approvals', count: 10 } });
    for (const bad of ['config approvals 11', 'config approvals -1', 'config approvals two', 'config colour red'])
      expect(parseCommand(bad), bad).toMatchObject({ change: { kind: 'bad' } });
  });

  it('reads config repo and config git: defaults, Slack-linked URLs, and refusals that say why', () => {
    expect(parseCommand('config repo acme/platform')).toEqual({
      kind: 'config',
      change: { kind: 'repo', repo: { owner: 'acme', name: 'platform', path: 'docs/decisions' } },
    });
    expect(parseCommand('config repo <https://github.com/acme/platform> /adr/')).toMatchObject({
      change: { kind: 'repo', repo: { owner: 'acme', name: 'platform', path: 'adr' } },
    });
    expect(parseCommand('config repo none')).toMatchObject({ change: { kind: 'repo-off' } });
    expect(parseCommand('config git <https://gitlab.com/acme/x.git> main docs/adr')).toEqual({
      kind: 'config',
      change: { kind: 'git', git: { url: 'https://gitlab.com/acme/x.git', branch: 'main', path: 'docs/adr' } },
    });
    expect(parseCommand('config git git@gitlab.com:acme/x.git')).toMatchObject({
      change: { kind: 'git', git: { url: 'git@gitlab.com:acme/x.git', path: 'docs/decisions' } },
    });
    expect(parseCommand('config git off')).toMatchObject({ change: { kind: 'git-off' } });
    for (const [bad, why] of [
      ['config repo acme', /OWNER\/REPO/],
      ['config repo acme/platform ../x', /cannot contain \. or \.\./],
      ['config repo acme/platform a b', /Use `config repo/],
      ['config git https://u:p@example.com/x.git', /carries credentials/],
      ['config git https://example.com/x.git bad..branch', /branch/],
      ['config git -oProxyCommand=x', /not a git remote URL/],
    ] as const)
      expect(parseCommand(bad), bad).toMatchObject({ change: { kind: 'bad', message: expect.stringMatching(why) } });
  });

  it('reads owners as Slack mentions or ids, who may change settings, open interview limits, and resume', () => {
    expect(parseCommand('config owners <@U0ANN|ann> <@W0BEN> U0ANN')).toMatchObject({
      change: { kind: 'owners', users: ['U0ANN', 'W0BEN'] },
    });
    expect(parseCommand('config owners none')).toMatchObject({ change: { kind: 'owners', users: [] } });
    expect(parseCommand('config editors Owners')).toMatchObject({ change: { kind: 'editors', editors: 'owners' } });
    expect(parseCommand('config limits 2 40')).toMatchObject({
      change: { kind: 'limits', perChannel: 2, perTeam: 40 },
    });
    expect(parseCommand('config abandon 14d')).toMatchObject({ change: { kind: 'abandon', days: 14 } });
    expect(parseCommand('config abandon 365')).toMatchObject({ change: { kind: 'abandon', days: 365 } });
    expect(parseCommand('config abandon Never')).toMatchObject({ change: { kind: 'abandon', days: 0 } });
    for (const bad of [
      'config abandon 0',
      'config abandon 366',
      'config abandon',
      'config owners',
      'config owners @ann',
      'config editors root',
      'config limits 0 5',
      'config limits 2',
    ])
      expect(parseCommand(bad), bad).toMatchObject({ change: { kind: 'bad' } });
    expect(parseCommand('resume')).toEqual({ kind: 'resume' });
  });

  it('reads start revisit ADR-N in its usual spellings, and leaves other titles alone', () => {
    expect(parseCommand('start revisit ADR-0003 A year on')).toEqual({
      kind: 'start',
      title: 'A year on',
      revisits: 3,
    });
    expect(parseCommand('start revisit 0012')).toEqual({ kind: 'start', title: '', revisits: 12 });
    expect(parseCommand('start Revisit adr7 x')).toEqual({ kind: 'start', title: 'x', revisits: 7 });
    expect(parseCommand('start revisit our mesh')).toEqual({ kind: 'start', title: 'revisit our mesh' });
    expect(parseCommand('start For <#C01|ops> and <@U01|ann>')).toEqual({ kind: 'start', title: 'For #ops and @ann' });
  });
});
