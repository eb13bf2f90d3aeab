import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';

/**
 * Encrypts what is kept about an install (its tokens) with AES-256-GCM under a
 * key from the environment; the record's key is bound in as associated data,
 * so a ciphertext copied to another install's record does not decrypt.
 */
export class TokenCipher {
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('the token key must be 32 bytes');
    this.key = key;
  }

  /** A 32-byte key given as 64 hex digits or base64; undefined when it is neither. */
  static parseKey(text: string): Buffer | undefined {
    const t = text.trim();
    if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex');
    if (/^[A-Za-z0-9+/_-]{43}=?$/.test(t)) {
      const b = Buffer.from(t, 'base64');
      return b.length === 32 ? b : undefined;
    }
    return undefined;
  }

  seal(plain: string, boundTo: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(boundTo, 'utf8'));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join(':');
  }

  open(sealed: string, boundTo: string): string {
    const [version, iv, tag, body] = sealed.split(':');
    if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('not a sealed install record');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
    decipher.setAAD(Buffer.from(boundTo, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
  }
}

/** The environment variable whose key seals the installs; named in every message about a wrong one. */
export const TOKEN_KEY_VARIABLE = 'MESH_HELP_TOKEN_KEY';

/** A stored install that the configured key does not open: sealed with another key (or damaged). */
export class InstallKeyError extends Error {
  constructor(readonly key: string) {
    super(
      `${TOKEN_KEY_VARIABLE} does not open the stored Slack install ${key}: it was sealed with another key (was ${TOKEN_KEY_VARIABLE} changed?)`,
    );
    this.name = 'InstallKeyError';
  }
}

/** Where sealed install records live: a table row or a file per install, by key. */
export type SealedRecords = {
  get(key: string): Promise<string | undefined>;
  put(key: string, sealed: string): Promise<void>;
  delete(key: string): Promise<void>;
  /** Every key starting with `prefix`. */
  keys(prefix?: string): Promise<string[]>;
};

/** Which install: a workspace's, or (isEnterpriseInstall) an Enterprise Grid org's. */
export type InstallRef = {
  isEnterpriseInstall?: boolean;
  enterpriseId?: string | undefined;
  teamId?: string | undefined;
};

/** An org-wide (Enterprise Grid) install is kept under its org, any other under its workspace. */
export function installKey(q: InstallRef): string {
  if (q.isEnterpriseInstall && q.enterpriseId) return `E-${q.enterpriseId}`;
  if (q.teamId) return `T-${q.teamId}`;
  throw new Error('an install is found by its workspace or, for an org-wide install, its org');
}

const keyOfInstall = (i: Installation): string =>
  installKey({ isEnterpriseInstall: i.isEnterpriseInstall, enterpriseId: i.enterprise?.id, teamId: i.team?.id });

/** Bolt's installation store over sealed records: tokens never rest in clear text. */
export class SealedInstallationStore implements InstallationStore {
  constructor(
    private readonly records: SealedRecords,
    private readonly cipher: TokenCipher,
  ) {}

  /** The last stored install this process tried to open could not be opened with the key (see /readyz). */
  keyProblem: InstallKeyError | undefined;

  /** Opens a record with the key, or throws InstallKeyError naming the variable. */
  private open(sealed: string, key: string): string {
    try {
      const plain = this.cipher.open(sealed, key);
      this.keyProblem = undefined;
      return plain;
    } catch {
      this.keyProblem = new InstallKeyError(key);
      throw this.keyProblem;
    }
  }

  /** How many install records are stored, and how many of them the key does not open (checked at start-up). */
  async checkKey(): Promise<{ stored: number; unreadable: string[] }> {
    const keys = await this.records.keys();
    const unreadable: string[] = [];
    for (const key of keys) {
      const sealed = await this.records.get(key);
      if (sealed === undefined) continue;
      try {
        this.cipher.open(sealed, key);
      } catch {
        unreadable.push(key);
      }
    }
    this.keyProblem = unreadable.length ? new InstallKeyError(unreadable[0] ?? '') : undefined;
    return { stored: keys.length, unreadable };
  }

  async storeInstallation(installation: Installation): Promise<void> {
    const key = keyOfInstall(installation);
    await this.records.put(key, this.cipher.seal(JSON.stringify(installation), key));
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation> {
    // An org-wide install answers for every workspace of the org; a workspace install only for itself.
    const keys = [
      ...(query.enterpriseId ? [installKey({ isEnterpriseInstall: true, enterpriseId: query.enterpriseId })] : []),
      ...(query.teamId ? [installKey({ teamId: query.teamId })] : []),
    ];
    if (!query.isEnterpriseInstall) keys.reverse();
    for (const key of keys) {
      const sealed = await this.records.get(key);
      if (sealed === undefined) continue;
      const installation = JSON.parse(this.open(sealed, key)) as Installation;
      if (installation.isEnterpriseInstall && query.teamId) await this.rememberOrg(query.teamId, key);
      return installation;
    }
    throw new Error(`no installation for ${query.enterpriseId ?? ''}/${query.teamId ?? ''}`);
  }

  private readonly remembered = new Set<string>();

  /** Notes that a workspace is served by its org's install, for work done outside a request (reminders). */
  private async rememberOrg(teamId: string, orgKey: string): Promise<void> {
    const alias = `A-${teamId}`;
    if (this.remembered.has(alias)) return;
    if ((await this.records.get(alias)) === undefined) await this.records.put(alias, this.cipher.seal(orgKey, alias));
    this.remembered.add(alias);
  }

  /** The install that speaks for a workspace outside a request: its own, or its org's once a request showed which. */
  async forWorkspace(teamId: string): Promise<Installation | undefined> {
    const own = installKey({ teamId });
    const sealed = await this.records.get(own);
    if (sealed !== undefined) return JSON.parse(this.open(sealed, own)) as Installation;
    const alias = `A-${teamId}`;
    const org = await this.records.get(alias);
    if (org === undefined) return undefined;
    const orgKey = this.open(org, alias);
    const orgSealed = await this.records.get(orgKey);
    return orgSealed === undefined ? undefined : (JSON.parse(this.open(orgSealed, orgKey)) as Installation);
  }

  /**
   * The workspaces an Enterprise Grid org's install is known to serve (each
   * noted when a request from it was authorized by that install), so that an
   * organisation's log covers its own workspaces and nobody else's.
   */
  async workspacesOf(enterpriseId: string): Promise<string[]> {
    const orgKey = installKey({ isEnterpriseInstall: true, enterpriseId });
    if ((await this.records.get(orgKey)) === undefined) return [];
    const found: string[] = [];
    for (const alias of await this.records.keys('A-')) {
      const sealed = await this.records.get(alias);
      if (sealed === undefined) continue;
      let points: string;
      try {
        points = this.cipher.open(sealed, alias);
      } catch {
        continue; // a record sealed under another key is not evidence of anything
      }
      if (points === orgKey) found.push(alias.slice('A-'.length));
    }
    return found.sort();
  }

  async deleteInstallation(query: InstallRef): Promise<void> {
    await this.records.delete(installKey(query));
  }

  /** Drops the user token of an install, keeping its bot token (a user's tokens were revoked). */
  async dropUserToken(query: InstallRef): Promise<void> {
    const key = installKey(query);
    const sealed = await this.records.get(key);
    if (sealed === undefined) return;
    const installation = JSON.parse(this.open(sealed, key)) as Installation;
    const {
      token: _t,
      refreshToken: _r,
      expiresAt: _e,
      ...user
    } = installation.user as Installation['user'] & {
      refreshToken?: string;
      expiresAt?: number;
    };
    await this.records.put(key, this.cipher.seal(JSON.stringify({ ...installation, user }), key));
  }
}

/** Sealed records as files, `<dir>/<key>.sealed`, written whole and renamed into place; `keys` lists them. */
export function sealedFiles(dir: string): SealedRecords {
  const file = (key: string) => join(dir, `${key.replace(/[^A-Za-z0-9_-]/g, '_')}.sealed`);
  return {
    async get(key) {
      try {
        return await readFile(file(key), 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
    },
    async put(key, sealed) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const tmp = `${file(key)}.${randomBytes(4).toString('hex')}.tmp`;
      await writeFile(tmp, sealed, { mode: 0o600 });
      await rename(tmp, file(key));
    },
    async delete(key) {
      await unlink(file(key)).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err;
      });
    },
    async keys(prefix = '') {
      try {
        return (await readdir(dir))
          .filter((n) => n.endsWith('.sealed'))
          .map((n) => n.slice(0, -'.sealed'.length))
          .filter((k) => k.startsWith(prefix))
          .sort();
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw err;
      }
    },
  };
}
