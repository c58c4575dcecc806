// The npm CLI and the native CLI print identical bytes for every corpus file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { npx, nativeCli, corpus, root } from './helpers.mjs';

function walk(dir, out = []) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(ya?ml|json)$/.test(name)) out.push(p);
  }
  return out;
}

const files = walk(corpus);

test('the corpus is there', () => assert.ok(files.length >= 60, `${files.length} files`));

for (const format of ['human', 'json']) {
  test(`check --format ${format}: npm and native print the same bytes for all ${files.length} corpus files`, () => {
    for (const f of files) {
      const rel = relative(root, f);
      const a = npx(['check', '--format', format, rel], { cwd: root });
      const b = nativeCli(['check', '--format', format, rel]);
      assert.equal(a.code, b.code, `${rel}: exit codes differ`);
      assert.equal(a.stdout, b.stdout, `${rel}: outputs differ`);
    }
  });
}

test('graph: identical for a directory of the corpus', () => {
  const dir = relative(root, join(corpus, 'edge-cases'));
  const a = npx(['graph', dir], { cwd: root });
  const b = nativeCli(['graph', dir]);
  assert.equal(a.stdout, b.stdout);
});
