import { spawn } from 'node:child_process';
import { redactCredentials } from '../config.js';
import { type ExportLimits, isDeadline } from './limits.js';

/** Why a git run did not succeed: it exited non-zero, ran past its time, was stopped, or could not start. */
export type GitFailure = 'exit' | 'timeout' | 'aborted' | 'spawn';

/** A failed git run; `stderr` is git's own, credentials cut out. Never shown to a person as is. */
export class GitRunError extends Error {
  constructor(
    readonly failure: GitFailure,
    readonly stderr: string,
  ) {
    super(`git ${failure}`);
    this.name = 'GitRunError';
  }
}

export type GitRun = {
  cwd: string;
  limits: ExportLimits;
  /** The export's signal: its total deadline, and a stop of the bot. */
  signal: AbortSignal;
  /** Talks to the remote: bounded by `limits.callMs`; local plumbing is bounded by the total only. */
  network?: boolean;
  input?: Buffer;
};

const MAX_OUTPUT = 64 * 1024 * 1024;

/**
 * The environment every git run gets: no prompts (a missing credential fails
 * instead of waiting for a terminal), slow HTTP transfers cut after
 * `lowSpeedSeconds`, and ssh with a connect timeout and keep-alives.
 */
function gitEnv(limits: ExportLimits): NodeJS.ProcessEnv {
  const s = limits.lowSpeedSeconds;
  return {
    ...process.env,
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: 'echo',
    SSH_ASKPASS: 'echo',
    LC_ALL: 'C',
    GIT_HTTP_LOW_SPEED_LIMIT: String(limits.lowSpeedBytes),
    GIT_HTTP_LOW_SPEED_TIME: String(s),
    GIT_SSH_COMMAND:
      process.env.GIT_SSH_COMMAND ??
      `ssh -o BatchMode=yes -o ConnectTimeout=${s} -o ServerAliveInterval=${s} -o ServerAliveCountMax=2`,
  };
}

/**
 * Runs git in its own process group and kills the whole group (git and its
 * remote helpers) when the call runs past its time or the export is stopped,
 * so no git call outlives its bound whatever the remote does.
 */
export function runGit(args: readonly string[], run: GitRun): Promise<string> {
  const { limits, signal } = run;
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new GitRunError('aborted', ''));
      return;
    }
    const child = spawn('git', args, {
      cwd: run.cwd,
      env: gitEnv(limits),
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    let stopped: GitFailure | undefined;
    const kill = (why: GitFailure) => {
      stopped ??= why;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(() => kill('timeout'), run.network ? limits.callMs : limits.totalMs);
    const onAbort = () => kill(isDeadline(signal) ? 'timeout' : 'aborted');
    signal.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > MAX_OUTPUT) kill('exit');
      else out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (err.length < 16_384) err += chunk.toString('utf8');
    });
    // git may exit before reading all its input (a failed fast-import): the broken pipe is its exit's to report.
    child.stdin.on('error', () => undefined);
    child.on('error', (e) => {
      if (child.pid !== undefined) return kill('spawn');
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      reject(new GitRunError('spawn', e.message));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      const stderr = redactCredentials(err).trim();
      if (stopped) reject(new GitRunError(stopped, stderr));
      else if (code !== 0) reject(new GitRunError('exit', stderr));
      else resolve(Buffer.concat(out).toString('utf8'));
    });
    child.stdin.end(run.input);
  });
}

/** The last lines git wrote, for the operator's log. */
export const gitDetail = (err: unknown): string =>
  err instanceof GitRunError
    ? err.stderr
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .slice(-3)
        .join(' ')
    : redactCredentials(String((err as Error)?.message ?? err));
