// vitest globalSetup: compiles src/ into dist/ once per run, so tests that spawn bin/mesh-help.js run the
// sources under test rather than whatever an earlier build left there.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  try {
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'pipe' });
  } catch (err) {
    const { stdout, stderr } = err as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`npm run build failed, so bin/mesh-help.js cannot be tested:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}
