import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import type { RepoSpec } from './target.js';

/**
 * MESH_HELP_EXPORT_ALLOW, parsed: where exports asked for in Slack may go.
 * `remotes` are git remote prefixes (`https://git.example.com/platform/`,
 * `git@git.example.com:platform/`, `/srv/git/`); `repos` are GitHub
 * repositories, `OWNER/REPO` or `OWNER/*`.
 */
export type ExportAllow = { remotes: string[]; repos: string[] };

/** Branches mesh-help owns on a remote: exports asked for in Slack push only to these. */
export const BOT_BRANCH_PREFIX = 'mesh-help/';

const REPO_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/(?:\*|[A-Za-z0-9._-]{1,100})$/;
const SCP_LIKE = /^[A-Za-z0-9._-]+@([A-Za-z0-9.-]+):(.+)$/;

/** Reads MESH_HELP_EXPORT_ALLOW (comma- or space-separated entries); an error names the entry that is neither kind. */
export function parseExportAllow(value: string | undefined): { allow?: ExportAllow } | { error: string } {
  const entries = (value ?? '').split(/[\s,]+/).filter(Boolean);
  if (!entries.length) return {};
  const allow: ExportAllow = { remotes: [], repos: [] };
  for (const entry of entries) {
    if (REPO_PATTERN.test(entry)) allow.repos.push(entry.toLowerCase());
    else if (/^(https?|ssh|git|file):\/\//.test(entry) || SCP_LIKE.test(entry) || entry.startsWith('/')) {
      if (/(^|[/:])\.\.($|\/)/.test(entry)) return { error: `entry ${entry.slice(0, 80)} contains ..` };
      allow.remotes.push(normalRemote(entry));
    } else
      return {
        error: `entry ${entry.slice(0, 80)} is neither a git remote prefix (https://host/path/, git@host:path/, /path/) nor a GitHub OWNER/REPO or OWNER/*`,
      };
  }
  return { allow };
}

/** A URL remote with its host lower-cased and its path resolved (`new URL`); other forms as given. */
function normalRemote(remote: string): string {
  if (!/^[a-z]+:\/\//i.test(remote)) return remote;
  try {
    return new URL(remote).href;
  } catch {
    return remote;
  }
}

/** Whether `remote` starts with `prefix` at a boundary (a prefix ending in `/` or `:`, or the whole remote). */
function underPrefix(remote: string, prefix: string): boolean {
  if (remote === prefix) return true;
  if (!remote.startsWith(prefix)) return false;
  return /[/:]$/.test(prefix) || /^[/:]/.test(remote.slice(prefix.length));
}

export const remoteListed = (remote: string, allow: ExportAllow): boolean => {
  if (/(^|[/:])\.\.($|\/)/.test(remote)) return false;
  const r = normalRemote(remote);
  return allow.remotes.some((p) => underPrefix(r, p));
};

export const repoListed = (repo: RepoSpec, allow: ExportAllow): boolean => {
  const full = `${repo.owner}/${repo.name}`.toLowerCase();
  return allow.repos.some((p) => p === full || (p.endsWith('/*') && full.startsWith(p.slice(0, -1))));
};

/** Addresses that are not on the public network: this host, its private networks, link-local, multicast. */
const NOT_PUBLIC = (() => {
  const list = new BlockList();
  for (const [net, bits] of [
    ['0.0.0.0', 8],
    ['10.0.0.0', 8],
    ['100.64.0.0', 10],
    ['127.0.0.0', 8],
    ['169.254.0.0', 16],
    ['172.16.0.0', 12],
    ['192.0.0.0', 24],
    ['192.168.0.0', 16],
    ['198.18.0.0', 15],
    ['224.0.0.0', 4],
    ['240.0.0.0', 4],
  ] as const)
    list.addSubnet(net, bits, 'ipv4');
  for (const [net, bits] of [
    ['::', 128],
    ['::1', 128],
    ['fc00::', 7],
    ['fe80::', 10],
    ['ff00::', 8],
  ] as const)
    list.addSubnet(net, bits, 'ipv6');
  return list;
})();

/** True for an address that is loopback, private, link-local, unspecified or multicast (IPv4-mapped IPv6 too). */
export function isNonPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare)?.[1];
  if (mapped) return NOT_PUBLIC.check(mapped, 'ipv4');
  const kind = isIP(bare);
  if (kind === 4) return NOT_PUBLIC.check(bare, 'ipv4');
  if (kind === 6) return NOT_PUBLIC.check(bare, 'ipv6');
  return false;
}

/** The host a remote connects to, or `local` for a path or file:// URL. */
export function remoteHost(remote: string): { local: true } | { host: string } {
  if (remote.startsWith('/') || /^file:/i.test(remote)) return { local: true };
  const scp = SCP_LIKE.exec(remote);
  if (scp?.[1] && !/^[a-z]+:\/\//i.test(remote)) return { host: scp[1].toLowerCase() };
  try {
    return { host: new URL(remote).hostname.replace(/^\[|\]$/g, '').toLowerCase() };
  } catch {
    return { local: true };
  }
}

export type Resolve = (host: string) => Promise<string[]>;

const dnsResolve: Resolve = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * Why an export asked for in Slack may not go to `remote` (and branch), or
 * undefined when it may. With MESH_HELP_EXPORT_ALLOW set, only listed
 * prefixes pass; without it, only network remotes whose every address is
 * public. Either way the branch must be one mesh-help owns. Reasons are plain
 * and name no address the remote resolved to.
 */
export async function slackRemoteRefusal(
  remote: string,
  branch: string | undefined,
  allow: ExportAllow | undefined,
  options: {
    /** When setting a remote, a host that cannot be resolved now passes (the export checks it again); when exporting, it does not. */
    unresolved?: 'pass' | 'refuse';
    resolve?: Resolve;
  } = {},
): Promise<string | undefined> {
  const resolve = options.resolve ?? dnsResolve;
  if (branch !== undefined && !branch.startsWith(BOT_BRANCH_PREFIX))
    return `From Slack, mesh-help pushes only to its own branches (${BOT_BRANCH_PREFIX}…), never to ${branch}: leave the branch out, or give one starting with ${BOT_BRANCH_PREFIX}, and merge it with a pull request.`;
  if (allow) {
    if (remoteListed(remote, allow)) return undefined;
    return 'That remote is not among the destinations whoever runs mesh-help allows (MESH_HELP_EXPORT_ALLOW). Ask them to add it.';
  }
  const where = remoteHost(remote);
  if ('local' in where)
    return 'From Slack, exports go only to network remotes (https://, ssh://, git@host:path), not to a path on the bot’s machine, unless whoever runs mesh-help allows it (MESH_HELP_EXPORT_ALLOW).';
  const refusal =
    'From Slack, exports go only to remotes on the public network, not to this machine, a private or a link-local address, unless whoever runs mesh-help allows it (MESH_HELP_EXPORT_ALLOW).';
  if (isIP(where.host) || where.host.includes(':')) return isNonPublicAddress(where.host) ? refusal : undefined;
  let addresses: string[];
  try {
    addresses = await Promise.race([
      resolve(where.host),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 5000).unref()),
    ]);
  } catch {
    return options.unresolved === 'pass' ? undefined : `The host ${where.host} of that remote could not be found.`;
  }
  if (!addresses.length || addresses.some(isNonPublicAddress)) return refusal;
  return undefined;
}

/** Why an export asked for in Slack may not go to this GitHub repository, or undefined when it may. */
export function slackRepoRefusal(repo: RepoSpec, allow: ExportAllow | undefined): string | undefined {
  if (!allow || repoListed(repo, allow)) return undefined;
  return `${repo.owner}/${repo.name} is not among the repositories whoever runs mesh-help allows (MESH_HELP_EXPORT_ALLOW). Ask them to add it.`;
}
