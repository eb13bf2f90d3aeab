import { accessSync, constants, createReadStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createBrotliDecompress } from 'node:zlib';

const executable = (file: string): boolean => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** What to launch: the binary, and the environment it needs (the npm build brings its own NSS libraries). */
export type BrowserBinary = { path: string; env: Record<string, string>; source: string };

/**
 * Unpacks a tar stream of regular files and folders (the npm Chromium's library
 * archive holds nothing else) under `into`. Entries that would land outside it are refused.
 */
async function untar(file: string, into: string): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const c of createReadStream(file).pipe(createBrotliDecompress())) chunks.push(c as Buffer);
  const tar = Buffer.concat(chunks);
  for (let at = 0; at + 512 <= tar.length; ) {
    const head = tar.subarray(at, at + 512);
    if (head.every((b) => b === 0)) break;
    const field = (from: number, len: number) =>
      head
        .subarray(from, from + len)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const name = `${field(345, 155) ? `${field(345, 155)}/` : ''}${field(0, 100)}`;
    const size = Number.parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1) || '0';
    const target = join(into, name);
    if (!target.startsWith(into) || name.split('/').includes('..')) throw new Error(`unsafe path in ${file}: ${name}`);
    if (type === '5') mkdirSync(target, { recursive: true });
    else if (type === '0') {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, tar.subarray(at + 512, at + 512 + size), { mode: 0o755 });
    }
    at += 512 + Math.ceil(size / 512) * 512;
  }
}

/**
 * A headless Chromium: $CHROMIUM, else chromium, chromium-browser or
 * google-chrome on PATH, else the npm package @sparticuz/chromium (a
 * devDependency), whose binary needs the NSS libraries it ships beside it.
 */
export async function findBrowser(env: NodeJS.ProcessEnv = process.env): Promise<BrowserBinary> {
  if (env.CHROMIUM) {
    if (!executable(env.CHROMIUM)) throw new Error(`CHROMIUM=${env.CHROMIUM} is not an executable file.`);
    return { path: env.CHROMIUM, env: {}, source: '$CHROMIUM' };
  }
  for (const dir of (env.PATH ?? '').split(':').filter(Boolean)) {
    for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
      if (executable(join(dir, name))) return { path: join(dir, name), env: {}, source: 'PATH' };
    }
  }
  const { default: chromium } = await import('@sparticuz/chromium');
  const path = await chromium.executablePath();
  // The package unpacks its NSS libraries only on AWS Lambda's image; elsewhere they are unpacked here.
  const libs = join(tmpdir(), 'mesh-help-chromium-libs');
  if (!existsSync(join(libs, 'lib', 'libnss3.so'))) {
    const archive = join(
      dirname(fileURLToPath(import.meta.resolve('@sparticuz/chromium'))),
      '..',
      '..',
      'bin',
      'al2023.tar.br',
    );
    await untar(archive, libs);
  }
  const ld = [join(libs, 'lib'), ...(env.LD_LIBRARY_PATH ? [env.LD_LIBRARY_PATH] : [])].join(':');
  return { path, env: { LD_LIBRARY_PATH: ld }, source: '@sparticuz/chromium' };
}
