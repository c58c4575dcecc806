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

module.exports = { readSources, readText, findConfig, join };
