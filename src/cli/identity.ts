import { userInfo } from 'node:os';

/** The operating system's name for the person at the terminal; undefined when the system has none for this user. */
export function osUserName(env: NodeJS.ProcessEnv): string | undefined {
  try {
    const name = userInfo().username.trim();
    if (name) return name;
  } catch {
    // A user id without a passwd entry (some containers): the login variables may still name the person.
  }
  return (env.USER ?? env.LOGNAME ?? '').trim() || undefined;
}

/** Who acts from the terminal, for records and ADRs: `--by`, else the OS user name (never the word "terminal"). */
export function actorName(by: string | undefined, osUser: string | undefined): string | undefined {
  return (by ?? osUser ?? '').trim().slice(0, 80) || undefined;
}
