// Installs the packed npm package into a temporary project, as a user gets it.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const corpus = resolve(root, 'tests/corpus');
export const fixtures = join(root, 'tests/fixtures');
export const native = process.env.PORTOLAN_NATIVE || join(root, 'target/fast/portolan');

let installed;
/** The temporary project with `portolan` installed from the tarball. */
export function project() {
  if (installed) return installed;
  const tarball = process.env.PORTOLAN_TARBALL;
  if (!tarball || !existsSync(tarball)) throw new Error('PORTOLAN_TARBALL must name the packed package (cargo xtask npm)');
  const dir = mkdtempSync(join(tmpdir(), 'portolan-npm-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'user-project', private: true }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline', tarball], { cwd: dir, stdio: 'pipe' });
  installed = dir;
  return dir;
}

/** Run the installed CLI (as `npx portolan` would) and return {code, stdout, stderr}. */
export function npx(args, { cwd, input, env } = {}) {
  const dir = project();
  const r = spawnSync(join(dir, 'node_modules/.bin/portolan'), args, {
    cwd: cwd || dir,
    input: input ?? '',
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '', ...env },
    maxBuffer: 64 << 20,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function nativeCli(args, { cwd, input } = {}) {
  const r = spawnSync(native, args, { cwd: cwd || root, input: input ?? '', encoding: 'utf8', maxBuffer: 64 << 20 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * A temporary git repository whose first commit holds the corpus's Bookinfo
 * as `k8s/app.yaml`: a base for `diff --base-ref` tests. Returns its path
 * and the committed text.
 */
export function bookinfoRepo(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const git = (...args) => {
    const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  };
  mkdirSync(join(dir, 'k8s'));
  const app = readFileSync(join(corpus, 'bookinfo.yaml'), 'utf8');
  writeFileSync(join(dir, 'k8s/app.yaml'), app);
  git('init', '-q');
  git('add', '.');
  git('commit', '-q', '-m', 'base');
  return { dir, app };
}
