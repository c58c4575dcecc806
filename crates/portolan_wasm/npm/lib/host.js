'use strict';
// The host side of the shared command line: reading files, directories,
// standard input and the configuration, exactly as the native CLI does.

const fs = require('node:fs');
const path = require('node:path');

const MANIFEST = /\.(ya?ml|json)$/;

function ioError(shown, err) {
  const text = {
    ENOENT: 'No such file or directory (os error 2)',
    EACCES: 'Permission denied (os error 13)',
    EISDIR: 'Is a directory (os error 21)',
  }[err.code] || err.message;
  return new Error(`${shown}: ${text}`);
}

function join(dir, name) {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

function walk(dir, ignore, out) {
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    throw ioError(dir, err);
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (ignore.some((i) => p === i || p.startsWith(i.endsWith('/') ? i : `${i}/`))) continue;
    const isDir = e.isDirectory() || (e.isSymbolicLink() && fs.statSync(p, { throwIfNoEntry: false })?.isDirectory());
    if (isDir) {
      if (!e.name.startsWith('.') && e.name !== 'node_modules') walk(p, ignore, out);
    } else if (!e.name.startsWith('.') && MANIFEST.test(e.name)) {
      out.push(p);
    }
  }
}

function readText(shown, file) {
  let bytes;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    throw ioError(shown, err);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    let valid = 0;
    const d = new TextDecoder('utf-8', { fatal: true });
    for (let i = bytes.length; i > 0; i--) {
      try { d.decode(bytes.subarray(0, i)); valid = i; break; } catch { /* shorter */ }
    }
    throw new Error(`${shown}: not UTF-8 text (invalid byte at offset ${valid})`);
  }
}

function readBytes(shown, file) {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw ioError(shown, err);
  }
}

/**
 * Read every PATH into {name, bytes} sources, in the native CLI's order.
 * Bytes, not text: the analysis reports bytes that are not UTF-8 at their
 * line and column and reads the rest, as the native CLI does.
 */
function readSources(paths, ignore) {
  const sources = [];
  for (const p of paths) {
    if (p === '-') {
      sources.push({ name: '<stdin>', bytes: readBytes('<stdin>', 0) });
      continue;
    }
    let st;
    try {
      st = fs.statSync(p);
    } catch (err) {
      throw ioError(p, err);
    }
    if (st.isDirectory()) {
      const files = [];
      walk(p, ignore, files);
      files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      for (const f of files) sources.push({ name: f, bytes: readBytes(f, f) });
    } else {
      sources.push({ name: p, bytes: readBytes(p, p) });
    }
  }
  return sources;
}

/**
 * `--base-ref REV PATH`: PATH as it is at git revision REV, named as the
 * working tree names it (`git ls-tree`, then `git show REV:./FILE`), as the
 * native CLI reads it.
 */
function gitSources(rev, p, ignore) {
  const { execFileSync } = require('node:child_process');
  const git = (args) => {
    try {
      return execFileSync('git', args, { maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      const why = err.stderr ? err.stderr.toString().trim() : err.message;
      throw new Error(err.code === 'ENOENT' ? `--base-ref: cannot run git: ${err.message}` : `--base-ref ${rev}: git ${args.join(' ')}: ${why}`);
    }
  };
  const root = p.replace(/\/+$/, '');
  const skipped = (f) => {
    const rel = f.startsWith(`${root}/`) ? f.slice(root.length + 1) : f;
    return rel.split('/').slice(0, -1).some((c) => (c.startsWith('.') && c !== '.' && c !== '..') || c === 'node_modules');
  };
  const files = git(['ls-tree', '-r', '--name-only', rev, '--', p]).toString().split('\n').filter((f) => {
    if (!f) return false;
    const name = f.split('/').pop();
    const wanted = f.replace(/\/+$/, '') === root || (!name.startsWith('.') && MANIFEST.test(name) && !skipped(f));
    return wanted && !ignore.some((i) => f === i || f.startsWith(i.endsWith('/') ? i : `${i}/`));
  });
  files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return files.map((f) => ({ name: f, bytes: git(['show', `${rev}:./${f}`]) }));
}

/** `--config FILE`, else `.portolan.yaml`/`.yml` found upward from cwd. */
function findConfig(explicit, cwd) {
  if (explicit) return explicit;
  let dir = cwd;
  for (;;) {
    for (const name of ['.portolan.yaml', '.portolan.yml']) {
      const p = path.join(dir, name);
      if (fs.statSync(p, { throwIfNoEntry: false })?.isFile()) return p;
    }
    const up = path.dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

module.exports = { readSources, readText, findConfig, join, gitSources };
