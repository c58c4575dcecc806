// The npm CLI and the native CLI print identical bytes for every corpus file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

test('bytes that are not UTF-8: the same findings at their line and column, the other documents kept, exit 1', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portolan-utf8-'));
  // A Latin-1 é in an annotation of the first document; a Service after it.
  const bad = Buffer.concat([
    Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n  annotations: {owner: Jos'),
    Buffer.from([0xe9]),
    Buffer.from('}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: c}\nspec:\n  ports: [{port: 80}]\n'),
  ]);
  writeFileSync(join(dir, 'bad.yaml'), bad);
  for (const format of ['human', 'json']) {
    const a = npx(['check', '--format', format, 'bad.yaml'], { cwd: dir });
    const b = nativeCli(['check', '--format', format, 'bad.yaml'], { cwd: dir });
    assert.equal(a.code, 1, a.stderr);
    assert.equal(b.code, 1, b.stderr);
    assert.equal(a.stdout, b.stdout);
  }
  const human = nativeCli(['check', '--color', 'never', 'bad.yaml'], { cwd: dir }).stdout;
  assert.match(human, /error\[invalid-utf8\]: invalid UTF-8: the byte 0xe9 here is not part of a UTF-8 character\n\s+--> bad\.yaml:5:27/);
  const json = JSON.parse(npx(['check', '--format', 'json', '-'], { cwd: dir, input: bad }).stdout);
  assert.equal(json.summary.objects, 2);
  assert.equal(json.diagnostics.filter((d) => d.code === 'invalid-utf8').length, 1);
});
