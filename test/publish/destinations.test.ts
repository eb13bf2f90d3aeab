import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import {
  isNonPublicAddress,
  parseExportAllow,
  remoteListed,
  slackRemoteRefusal,
  slackRepoRefusal,
} from '../../src/publish/destinations.js';

const allowOf = (value: string) => {
  const parsed = parseExportAllow(value);
  if (!('allow' in parsed) || !parsed.allow) throw new Error('not parsed');
  return parsed.allow;
};

describe('export destinations asked for in Slack', () => {
  it.each([
    ['127.0.0.1', true],
    ['10.20.30.40', true],
    ['172.31.255.1', true],
    ['192.168.0.10', true],
    ['169.254.169.254', true],
    ['100.64.1.1', true],
    ['0.0.0.0', true],
    ['::1', true],
    ['fe80::1', true],
    ['fd12:3456::1', true],
    ['::ffff:127.0.0.1', true],
    ['::ffff:10.0.0.1', true],
    ['140.82.112.3', false],
    ['2606:50c0:8000::153', false],
  ])('%s is non-public: %s', (address, expected) => {
    expect(isNonPublicAddress(address)).toBe(expected);
  });

  it('a host name is refused when any of its addresses is non-public, and passes when all are public', async () => {
    const resolveTo = (addresses: string[]) => ({ resolve: async () => addresses });
    expect(
      await slackRemoteRefusal('https://git.example.com/a.git', undefined, undefined, resolveTo(['140.82.112.3'])),
    ).toBeUndefined();
    expect(
      await slackRemoteRefusal(
        'https://git.example.com/a.git',
        undefined,
        undefined,
        resolveTo(['140.82.112.3', '10.0.0.5']),
      ),
    ).toMatch(/not to this machine, a private or a link-local address/);
    const gone = { resolve: async () => Promise.reject(new Error('ENOTFOUND')) };
    expect(await slackRemoteRefusal('git@git.example.com:a.git', undefined, undefined, gone)).toMatch(
      /could not be found/,
    );
    expect(
      await slackRemoteRefusal('git@git.example.com:a.git', undefined, undefined, { ...gone, unresolved: 'pass' }),
    ).toBeUndefined();
  });

  it('only branches mesh-help owns, whatever the remote and the allow-list', async () => {
    const allow = allowOf('https://git.example.com/');
    for (const branch of ['main', 'release/1', 'mesh-help', 'x/mesh-help/y'])
      expect(await slackRemoteRefusal('https://git.example.com/a.git', branch, allow)).toMatch(/own branches/);
    expect(await slackRemoteRefusal('https://git.example.com/a.git', 'mesh-help/decisions', allow)).toBeUndefined();
  });

  it('with MESH_HELP_EXPORT_ALLOW only listed prefixes and repositories pass, at a path boundary and without ..', async () => {
    const allow = allowOf('https://git.example.com/platform/, git@git.example.com:platform/ /srv/git acme/* other/one');
    expect(remoteListed('https://git.example.com/platform/adr.git', allow)).toBe(true);
    expect(remoteListed('https://GIT.example.com/platform/adr.git', allow)).toBe(true);
    expect(remoteListed('https://git.example.com/platform-secret/adr.git', allow)).toBe(false);
    expect(remoteListed('https://git.example.com/platform/../secret/adr.git', allow)).toBe(false);
    expect(remoteListed('git@git.example.com:platform/adr.git', allow)).toBe(true);
    expect(remoteListed('/srv/git/adr.git', allow)).toBe(true);
    expect(remoteListed('/srv/gitlab/adr.git', allow)).toBe(false);
    expect(remoteListed('/srv/git/../../etc/x.git', allow)).toBe(false);
    // Listed local and loopback remotes pass: the operator chose them.
    expect(await slackRemoteRefusal('/srv/git/adr.git', undefined, allow)).toBeUndefined();
    expect(await slackRemoteRefusal('https://gitlab.com/x.git', undefined, allow)).toMatch(/MESH_HELP_EXPORT_ALLOW/);
    expect(slackRepoRefusal({ owner: 'acme', name: 'platform' }, allow)).toBeUndefined();
    expect(slackRepoRefusal({ owner: 'ACME', name: 'Platform' }, allow)).toBeUndefined();
    expect(slackRepoRefusal({ owner: 'other', name: 'one' }, allow)).toBeUndefined();
    expect(slackRepoRefusal({ owner: 'other', name: 'two' }, allow)).toMatch(/not among the repositories/);
    expect(slackRepoRefusal({ owner: 'acmex', name: 'platform' }, allow)).toMatch(/not among the repositories/);
    // Without an allow-list any repository passes (the token bounds it).
    expect(slackRepoRefusal({ owner: 'other', name: 'two' }, undefined)).toBeUndefined();
  });

  it('a malformed MESH_HELP_EXPORT_ALLOW stops start-up, naming the variable', () => {
    try {
      loadConfig({
        SLACK_BOT_TOKEN: 'xoxb-test-token',
        SLACK_SIGNING_SECRET: 'signing-secret-value-xyz',
        MESH_HELP_EXPORT_ALLOW: 'https://git.example.com/ not-a-destination',
      });
      throw new Error('expected a ConfigError');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toContain('MESH_HELP_EXPORT_ALLOW entry not-a-destination is neither');
    }
    expect(
      loadConfig({
        SLACK_BOT_TOKEN: 'xoxb-test-token',
        SLACK_SIGNING_SECRET: 'signing-secret-value-xyz',
        MESH_HELP_EXPORT_ALLOW: 'acme/*',
      }).exportAllow,
    ).toEqual({ remotes: [], repos: ['acme/*'] });
  });
});
