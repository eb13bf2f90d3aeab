import { z } from 'zod';

/** Where exported records go inside a repository when the team did not say. */
export const DEFAULT_PATH = 'docs/decisions';

/** `OWNER/REPO` as GitHub allows them (no dots-only names, no slashes inside). */
export const RepoSpec = z
  .string()
  .trim()
  .regex(
    /^(?![.]+\/)[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/(?![.]+$)[A-Za-z0-9._-]{1,100}$/,
    'a repository is OWNER/REPO, e.g. acme/platform',
  )
  .transform((s) => {
    const [owner = '', name = ''] = s.split('/');
    return { owner, name: name.replace(/\.git$/, '') };
  });
export type RepoSpec = z.output<typeof RepoSpec>;

/** A folder inside the repository: relative, forward slashes, no `.`/`..` segments, no leading or trailing slash. */
export const FolderPath = z
  .string()
  .trim()
  .transform((s) => s.replace(/^\/+|\/+$/g, ''))
  .pipe(
    z
      .string()
      .min(1, 'the folder cannot be empty')
      .max(200, 'the folder path is longer than 200 characters')
      .regex(
        /^[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/,
        'a folder is letters, digits, . _ - and / (e.g. docs/decisions)',
      )
      .refine((s) => !s.split('/').some((seg) => seg === '.' || seg === '..'), 'a folder cannot contain . or ..'),
  );

/** A git branch name mesh-help will push (a safe subset of git's rules). */
export const BranchName = z
  .string()
  .trim()
  .regex(/^(?!-)(?!.*\.\.)(?!.*\/\/)(?!.*\.lock$)[A-Za-z0-9._/-]{1,120}(?<![./])$/, 'not a branch name git accepts');

/**
 * A git remote without credentials: https, ssh (`ssh://` or `user@host:path`),
 * or a local path / file:// URL. Credentials belong to git's own helpers, never the team file.
 */
export const RemoteUrl = z
  .string()
  .trim()
  .min(1, 'which remote?')
  .max(500, 'the remote URL is longer than 500 characters')
  .refine((s) => !/\s/.test(s) && !s.startsWith('-'), 'not a git remote URL')
  .superRefine((s, ctx) => {
    if (/^(https?|ssh|git|file):\/\//.test(s)) {
      let url: URL;
      try {
        url = new URL(s);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'not a git remote URL' });
        return;
      }
      if (url.password || (url.username && url.protocol.startsWith('http')))
        ctx.addIssue({
          code: 'custom',
          message: 'the URL carries credentials: give it without them and let git’s credential helper supply them',
        });
      return;
    }
    if (/^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^\s]+$/.test(s) || s.startsWith('/')) return;
    ctx.addIssue({
      code: 'custom',
      message: 'a remote is an https://, ssh:// or git@host:path URL, or an absolute path',
    });
  });

/** The first zod message, for a person. */
export const firstIssue = (error: z.ZodError): string => error.issues[0]?.message ?? 'invalid';
