import nock from 'nock';

type Json = Record<string, unknown>;

/** One request GitHub's fake saw: method, decoded path with query, parsed JSON body, auth header. */
export type GitHubCall = { method: string; path: string; body: Json | undefined; auth: string | undefined };

/**
 * nock in front of GitHub's REST API that records every intercepted call in
 * order, so a test can pin the exact sequence the exporter makes.
 */
export function fakeGitHub(base = 'https://api.github.com') {
  const calls: GitHubCall[] = [];
  const scope = nock(base);
  scope.on('request', (req: { method: string; path: string; headers: Record<string, string> }, _i, body: string) => {
    calls.push({
      method: req.method,
      path: decodeURIComponent(req.path),
      body: body ? (JSON.parse(body) as Json) : undefined,
      auth: req.headers.authorization,
    });
  });
  /** Matches a path after decoding (`docs%2Fdecisions` and `docs/decisions` alike), query included. */
  const at = (path: string) => (uri: string) => decodeURIComponent(uri) === path;
  return {
    scope,
    calls,
    at,
    /** `METHOD /path` of each call, for the sequence. */
    sequence: () => calls.map((c) => `${c.method} ${c.path.replace(/^\/api\/v3/, '')}`),
  };
}

export const REPO = { owner: 'acme', name: 'platform' };
const R = `/repos/${REPO.owner}/${REPO.name}`;
export const paths = {
  repo: R,
  pulls: `${R}/pulls?state=open&per_page=100`,
  createPull: `${R}/pulls`,
  pull: (n: number) => `${R}/pulls/${n}`,
  ref: (branch: string) => `${R}/git/ref/heads/${branch}`,
  refs: `${R}/git/refs`,
  updateRef: (branch: string) => `${R}/git/refs/heads/${branch}`,
  contents: (path: string, ref: string) => `${R}/contents/${path}?ref=${ref}`,
  commit: (sha: string) => `${R}/git/commits/${sha}`,
  commits: `${R}/git/commits`,
  blobs: `${R}/git/blobs`,
  blob: (sha: string) => `${R}/git/blobs/${sha}`,
  trees: `${R}/git/trees`,
};

export const repoInfo = (push = true) => ({
  full_name: `${REPO.owner}/${REPO.name}`,
  default_branch: 'main',
  permissions: { admin: false, push, pull: true },
});

/** A directory listing as the contents API returns it. */
export const listing = (folder: string, files: Record<string, string>) =>
  Object.entries(files).map(([name, sha]) => ({ type: 'file', name, path: `${folder}/${name}`, sha }));

type FakeGitHub = ReturnType<typeof fakeGitHub>;

/** What an export reads before it writes, in a repository with no open pull request and no decision folder yet. */
export const readsBeforeFirstExport = (gh: FakeGitHub, folder = 'docs/decisions') =>
  gh.scope
    .get(gh.at(paths.repo))
    .reply(200, repoInfo())
    .get(gh.at(paths.pulls))
    .reply(200, [])
    .get(gh.at(paths.ref('main')))
    .reply(200, { object: { sha: 'base1' } })
    .get(gh.at(paths.contents(folder, 'main')))
    .reply(404, {})
    .get(gh.at(paths.commit('base1')))
    .reply(200, { tree: { sha: 'tree0' } });

/** The one commit of an export (a tree carrying the files' contents, a commit), up to the new branch. */
export const writesOneCommit = (gh: FakeGitHub, scope: nock.Scope) =>
  scope
    .post(gh.at(paths.trees))
    .reply(201, { sha: 't' })
    .post(gh.at(paths.commits))
    .reply(201, { sha: 'c' })
    .post(gh.at(paths.refs))
    .reply(201, {});

/** The contents of the files an export wrote, in tree order (they travel inline in the tree request). */
export const treeContents = (gh: FakeGitHub): string[] =>
  ((gh.calls.find((c) => c.path.endsWith('/git/trees'))?.body?.tree ?? []) as { content?: string }[])
    .map((e) => e.content)
    .filter((c): c is string => c !== undefined);
