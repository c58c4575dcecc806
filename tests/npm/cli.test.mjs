// The npm package as a user runs it: exit codes, formats, stdin, config
// discovery and suppressions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { npx, nativeCli, project, corpus, fixtures, bookinfoRepo } from './helpers.mjs';

const BAD = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - port: 80
  - port: 443
`;

test('check: a clean real app exits 0 with a human summary', () => {
  const r = npx(['check', join(corpus, 'online-boutique.yaml')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^ok: no problems in 1 file \(35 objects\)$/m);
});

test('check: API-server errors exit 1 with file, line, column, field path and error type', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portolan-'));
  writeFileSync(join(dir, 'svc.yaml'), BAD);
  const r = npx(['check', '--format', 'json', 'svc.yaml'], { cwd: dir });
  assert.equal(r.code, 1);
  const out = JSON.parse(r.stdout);
  assert.equal(out.version, 1);
  assert.equal(out.summary.errors, 2);
  const d = out.diagnostics[0];
  assert.deepEqual([d.file, d.line, d.column, d.field, d.errorType], ['svc.yaml', 7, 5, 'spec.ports[0].name', 'Required']);
  assert.deepEqual(d.object, { apiVersion: 'v1', kind: 'Service', namespace: 'default', name: 'web' });
  const human = npx(['check', 'svc.yaml'], { cwd: dir });
  assert.match(human.stdout, /error\[service-ports\]: spec\.ports\[0\]\.name: Required value\n --> svc\.yaml:7:5\n/);
  assert.match(human.stdout, /\n7 \|   - port: 80\n  \|     \^+/);
});

test('usage and I/O errors exit 2 with a message on stderr', () => {
  let r = npx(['check', '/nonexistent/file.yaml']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /nonexistent\/file.yaml: No such file or directory/);
  r = npx(['frobnicate']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown command 'frobnicate'/);
  r = npx(['check', '--format', 'xml', '-']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--format for this command must be one of: human, json/);
});

test('stdin: `helm template … | npx portolan check -`', () => {
  const r = npx(['check', '--format', 'json', '-'], { input: BAD });
  assert.equal(r.code, 1);
  assert.equal(JSON.parse(r.stdout).diagnostics[0].file, '<stdin>');
});

test('directories are read recursively, in a stable order', () => {
  const r = npx(['check', '--format', 'json', join(fixtures, 'lint')]);
  const files = [...new Set(JSON.parse(r.stdout).diagnostics.map((d) => d.file))];
  assert.deepEqual(files, [...files].sort());
  assert.ok(files.length >= 2);
});

test('.portolan.yaml is found upward and can switch rules off', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portolan-cfg-'));
  mkdirSync(join(dir, 'k8s', 'deep'), { recursive: true });
  writeFileSync(join(dir, 'k8s', 'deep', 'svc.yaml'), readFileSync(join(fixtures, 'lint/selector-matches-nothing.yaml')));
  let r = npx(['check', '--deny-warnings', 'svc.yaml'], { cwd: join(dir, 'k8s', 'deep') });
  assert.equal(r.code, 1, 'a warning fails with --deny-warnings');
  writeFileSync(join(dir, '.portolan.yaml'), 'rules:\n  selector-matches-nothing: "off"\n');
  r = npx(['check', '--deny-warnings', 'svc.yaml'], { cwd: join(dir, 'k8s', 'deep') });
  assert.equal(r.code, 0, r.stdout);
  writeFileSync(join(dir, '.portolan.yaml'), 'rules:\n  no-such-rule: "off"\n');
  r = npx(['check', 'svc.yaml'], { cwd: join(dir, 'k8s', 'deep') });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown rule 'no-such-rule'/);
});

test('inline suppression with the portolan.dev/ignore annotation', () => {
  const text = readFileSync(join(fixtures, 'lint/selector-matches-nothing.yaml'), 'utf8').replace(
    'metadata:\n  name: frontend\nspec:\n  selector:',
    'metadata:\n  name: frontend\n  annotations:\n    portolan.dev/ignore: selector-matches-nothing # pods come from another repo\nspec:\n  selector:',
  );
  const r = npx(['check', '--format', 'json', '-'], { input: text });
  assert.equal(JSON.parse(r.stdout).summary.warnings, 0, r.stdout);
});

test('rules lists every check with documentation', () => {
  const r = npx(['rules', '--format', 'json']);
  assert.equal(r.code, 0);
  const rules = JSON.parse(r.stdout).rules;
  assert.ok(rules.length >= 20);
  for (const rule of rules) assert.match(rule.docs, /## What it does/);
});

test('graph: JSON, DOT and Mermaid', () => {
  const file = join(corpus, 'bookinfo.yaml');
  const g = JSON.parse(npx(['graph', file]).stdout);
  const reviews = g.services.find((s) => s.name === 'reviews');
  assert.equal(new Set(reviews.endpoints.map((e) => e.pod)).size, 3, 'reviews selects v1, v2 and v3');
  assert.match(npx(['graph', '--format', 'dot', file]).stdout, /^digraph portolan \{/);
  assert.match(npx(['graph', '--format', 'mermaid', file]).stdout, /^flowchart LR/);
});

test('the JavaScript API is typed and throws Errors, not traps', () => {
  const dir = project();
  const require = createRequire(join(dir, 'index.js'));
  const portolan = require('portolan');
  const res = portolan.check([{ name: 'svc.yaml', text: BAD }]);
  assert.equal(res.summary.errors, 2);
  assert.match(readFileSync(join(dir, 'node_modules/portolan/index.d.ts'), 'utf8'), /export function check\(files: File\[\], options\?: Options\): CheckJson;/);
  assert.throws(() => portolan.check([{ name: 'a', text: BAD }], { profile: { serviceCIDR: 'nope' } }), /serviceCIDR/);
  assert.throws(() => portolan.check('not an array'), TypeError);
  assert.equal(typeof portolan.version(), 'string');
});

test('diff: two paths, and --base-ref reading BASE from git, byte for byte as the native CLI', async () => {
  const { dir, app } = bookinfoRepo('portolan-diff-');
  // The pull request: a selector typo, and productpage exposed on a NodePort.
  const head = app.replace('  selector:\n    app: ratings', '  selector:\n    app: rating')
    .replace('  ports:\n  - port: 9080\n    name: http\n  selector:\n    app: productpage', '  type: NodePort\n  ports:\n  - port: 9080\n    name: http\n    nodePort: 30080\n  selector:\n    app: productpage');
  writeFileSync(join(dir, 'k8s/app.yaml'), head);
  writeFileSync(join(dir, 'base.yaml'), app);
  for (const args of [['diff', '--base-ref', 'HEAD', 'k8s', '--format', 'json'], ['diff', 'base.yaml', 'k8s/app.yaml', '--format', 'md'], ['diff', '--base-ref', 'HEAD', 'k8s']]) {
    const r = npx(args, { cwd: dir });
    const n = nativeCli(args, { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout, n.stdout, args.join(' '));
    assert.equal(n.code, 1);
  }
  const out = JSON.parse(npx(['diff', '--base-ref', 'HEAD', 'k8s', '--format', 'json'], { cwd: dir }).stdout);
  assert.deepEqual(out.changes.map((c) => c.kind), ['service-type-changed', 'exposure-added', 'port-changed', 'endpoints-lost', 'service-unreachable']);
  assert.equal(out.changes[0].file, 'k8s/app.yaml');
  assert.deepEqual(out.findings.introduced.map((f) => f.code), ['selector-matches-nothing']);
  const bad = npx(['diff', '--base-ref', 'no-such-ref', 'k8s'], { cwd: dir });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--base-ref no-such-ref: git ls-tree/);
});
