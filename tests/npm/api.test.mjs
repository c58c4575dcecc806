// The JavaScript API of the installed package in its three builds: Node.js
// (CommonJS), bundlers (the WebAssembly ES module integration, exercised
// with Node's own implementation) and browsers without a bundler (the `web`
// build in headless Chromium); and its generated TypeScript declarations
// type-checking a strict consumer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { readFileSync, writeFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join, extname, normalize } from 'node:path';
import { project, root, corpus } from './helpers.mjs';

const APP = `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx, ports: [{name: http, containerPort: 8080}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: shop}
spec:
  containers: [{name: c, image: curl}]
`;
const FILES = [{ name: 'app.yaml', text: APP }];

/** Write files into a fresh directory; its path. */
function writeFiles(files) {
  const dir = mkdtempSync(join(tmpdir(), 'portolan-npm-'));
  for (const f of files) writeFileSync(join(dir, f.name), f.text);
  return dir;
}

test('API: trace and dns answer as the CLI does, bad requests throw Errors', () => {
  const require = createRequire(join(project(), 'index.js'));
  const portolan = require('portolan');
  const t = portolan.trace(FILES, { from: 'pod:shop/client', to: 'web:80' });
  assert.equal(t.verdict, 'delivered');
  assert.equal(t.destinations.length, 2);
  assert.ok(t.destinations.every((d) => d.port === 8080 && Math.abs(d.probability - 0.5) < 1e-9));
  assert.ok(t.hops.length >= 3);
  const a = portolan.dns(FILES, { name: '_http._tcp.web.shop.svc.cluster.local', type: 'SRV' });
  assert.equal(a.rcode, 'NOERROR');
  assert.deepEqual(a.answers, [{ port: 80, target: 'web.shop.svc.cluster.local' }]);
  assert.equal(portolan.dns(FILES, { name: 'nope.shop' }).rcode, 'NXDOMAIN');
  assert.throws(() => portolan.trace(FILES, { from: 'pod:shop/ghost', to: 'web:80' }), (e) => e instanceof Error && /ghost/.test(e.message));
  assert.throws(() => portolan.trace(FILES, { from: 'somewhere', to: 'web:80' }), /--from must be/);
  assert.throws(() => portolan.trace(FILES, { from: 'pod:shop/client', to: 'web:80', protocol: 'ICMP' }), /protocol/);
  assert.throws(() => portolan.dns(FILES, { name: 'web', type: 'MX' }), /type must be/);
  assert.throws(() => portolan.trace(FILES, {}), TypeError);
  // The API and the CLI agree byte for byte on the same document.
  const cli = spawnSync(join(project(), 'node_modules/.bin/portolan'), ['trace', '--from', 'pod:shop/client', '--to', 'web:80', '--format', 'json', '-'], { input: APP, encoding: 'utf8' });
  assert.deepEqual(JSON.parse(cli.stdout), t);
  // An HTTP request through a Gateway (interfaces.md §6.3), with a header.
  const GATEWAY = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge, namespace: shop}
spec:
  gatewayClassName: eg
  listeners: [{name: http, protocol: HTTP, port: 80}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: shop}
spec:
  parentRefs: [{name: edge}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /api}, headers: [{name: x-canary, value: 'yes'}]}]
    backendRefs: [{name: web, port: 80}]
`;
  const withGateway = [...FILES, { name: 'gateway.yaml', text: GATEWAY }];
  const h = portolan.trace(withGateway, { from: 'external:203.0.113.9', to: 'http://shop.example.com/api/cart', headers: { 'X-Canary': 'yes' } });
  assert.equal(h.verdict, 'delivered');
  assert.deepEqual(h.route, { kind: 'HTTPRoute', namespace: 'shop', name: 'web', rule: 0, match: 'path=PathPrefix:/api headers=[x-canary=yes]' });
  assert.deepEqual(h.backends, [{ service: 'shop/web', port: 80, weight: 1 }]);
  assert.equal(h.destinations.length, 2);
  assert.equal(portolan.trace(withGateway, { from: 'external:203.0.113.9', to: 'http://shop.example.com/api/cart' }).verdict, 'no-route');
  assert.throws(() => portolan.trace(withGateway, { from: 'external:203.0.113.9', to: 'http://shop.example.com/', headers: { a: 1 } }), TypeError);
  const hcli = spawnSync(join(project(), 'node_modules/.bin/portolan'), ['trace', '--from', 'external:203.0.113.9', '--to', 'http://shop.example.com/api/cart', '--header', 'X-Canary: yes', '--format', 'json', 'app.yaml', 'gateway.yaml'], { cwd: writeFiles(withGateway), encoding: 'utf8' });
  assert.deepEqual(JSON.parse(hcli.stdout), h, hcli.stderr);
});

test('API: reach and a NetworkPolicy on trace answer as the CLI does', () => {
  const require = createRequire(join(project(), 'index.js'));
  const portolan = require('portolan');
  const denyAll = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all, namespace: shop}
spec: {}
`;
  const files = [...FILES, { name: 'policy.yaml', text: denyAll }];
  const t = portolan.trace(files, { from: 'pod:shop/client', to: 'web:80' });
  assert.equal(t.verdict, 'denied');
  assert.equal(t.deliveredProbability, 0);
  assert.ok(t.destinations.every((d) => d.policy === 'denied-ingress'));
  assert.deepEqual(t.destinations[0].policies, [{ namespace: 'shop', name: 'deny-all', direction: 'ingress', effect: 'isolate' }]);
  const r = portolan.reach(files, { from: 'pod:shop/client', to: 'service:shop/web' });
  assert.equal(r.version, 1);
  assert.equal(r.connections.length, 4);
  assert.ok(r.connections.every((c) => c.verdict === 'denied-ingress' && c.port === 8080));
  assert.deepEqual(r.connections.map((c) => c.via), [null, 'service:shop/web:80', null, 'service:shop/web:80']);
  assert.throws(() => portolan.reach(files, { from: 'nowhere' }), /--from must be/);
  // The API and the CLI agree on the document.
  const cli = spawnSync(join(project(), 'node_modules/.bin/portolan'), ['reach', '--from', 'pod:shop/client', '--to', 'service:shop/web', '--format', 'json', '-'], { input: `${APP}---\n${denyAll}`, encoding: 'utf8' });
  assert.equal(cli.status, 0, cli.stderr);
  assert.deepEqual(JSON.parse(cli.stdout), r);
});

test('bundler build: the WebAssembly ES module integration loads and runs it', () => {
  const dir = project();
  const script = join(dir, 'bundler-consumer.mjs');
  writeFileSync(script, `import { check, graph, version } from 'portolan/bundler';
const text = ${JSON.stringify(APP)};
const c = check([{ name: 'app.yaml', text }]);
const g = graph([{ name: 'app.yaml', text }]);
console.log(JSON.stringify({ version: version(), objects: c.summary.objects, endpoints: g.services[0].endpoints.length }));
`);
  const r = spawnSync(process.execPath, ['--experimental-wasm-modules', '--no-warnings', script], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.objects, 3);
  assert.equal(out.endpoints, 2);
  assert.match(out.version, /^\d+\.\d+\.\d+/);
});

const TYPES = {
  '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm',
  '.html': 'text/html', '.json': 'application/json',
};

test('web build: runs in a browser page with no bundler and no network', async () => {
  const { chromium } = await import(join(root, 'tests/node_modules/playwright-core/index.mjs'));
  const dir = project();
  writeFileSync(join(dir, 'index.html'), `<!doctype html><meta charset="utf-8"><title>portolan web build</title>
<script type="module">
import init, { check, trace, rules } from './node_modules/portolan/web/index.js';
await init();
const text = ${JSON.stringify(APP)};
const c = check([{ name: 'app.yaml', text }]);
const t = trace([{ name: 'app.yaml', text }], { from: 'pod:shop/client', to: 'web.shop.svc.cluster.local:80' });
document.body.dataset.result = JSON.stringify({ objects: c.summary.objects, verdict: t.verdict, rules: rules().length });
</script>`);
  const server = createServer((req, res) => {
    const path = normalize(join(dir, decodeURIComponent(new URL(req.url, 'http://x').pathname)));
    if (!path.startsWith(dir) || !existsSync(path)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(path)] || 'application/octet-stream' });
    res.end(readFileSync(path));
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    const outside = [];
    page.on('request', (r) => { if (!r.url().startsWith(origin)) outside.push(r.url()); });
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${origin}/index.html`);
    await page.waitForFunction(() => document.body.dataset.result, null, { timeout: 30_000 }).catch(() => {});
    assert.deepEqual(errors, []);
    const result = JSON.parse(await page.evaluate(() => document.body.dataset.result));
    assert.equal(result.objects, 3);
    assert.equal(result.verdict, 'delivered');
    assert.ok(result.rules >= 20);
    assert.deepEqual(outside, []);
  } finally {
    await browser.close();
    server.close();
  }
});

test('types: generated declarations type-check a strict consumer of all three builds', () => {
  const dir = project();
  writeFileSync(join(dir, 'consumer.mts'), `import { check, graph, trace, dns, reach, diff, rules, type CheckJson, type DiagnosticJson, type DiffJson, type Trace, type Severity } from 'portolan';
import init, { check as checkWeb } from 'portolan/web';
import { check as checkBundler } from 'portolan/bundler';

const files = [{ name: 'a.yaml', text: 'kind: Service' }];
const c: CheckJson = check(files, { profile: { proxyMode: 'nftables', nodes: [{ name: 'n1', cpu: '4' }] } });
const first: DiagnosticJson | undefined = c.diagnostics[0];
const severity: Severity | undefined = first?.severity;
const line: number | undefined = first?.line;
const related: number = first?.related?.length ?? 0;
const t: Trace = trace(files, { from: 'node:n1', to: '10.96.0.1:443', protocol: 'TCP' });
const verdict: 'delivered' | 'reject' | 'drop' | 'not-intercepted' | 'cname' | 'nxdomain' | 'denied' | 'no-route' | 'backend-unresolved' | 'redirect' = t.verdict;
const http: Trace = trace(files, { from: 'external:203.0.113.9', to: 'http://shop.example.com/api', method: 'POST', headers: { 'x-canary': 'yes' }, via: 'gateway:shop/edge' });
const routeKind: 'Ingress' | 'HTTPRoute' | 'GRPCRoute' | undefined = http.route?.kind;
const weights: number[] = (http.backends ?? []).map((b) => b.weight);
const location: string | undefined = http.redirect?.location;
const unresolved: number | undefined = http.unresolvedProbability;
console.log(routeKind, weights, location, unresolved);
const changed: DiffJson = diff(files, [{ name: 'a.yaml', text: 'kind: Service' }]);
const changeKinds: string[] = changed.changes.map((c) => c.kind);
const introduced: number = changed.findings.introduced.length;
console.log(changeKinds, introduced);
const reachable: string[] = reach(files, { from: 'namespace:default' }).connections.map((c) => c.verdict);
const probabilities: number[] = t.destinations.map((d) => d.probability);
const kinds: string[] = graph(files).graphNodes.map((n) => n.kind);
const sources: (string | undefined)[] = graph(files).edges.filter((e) => e.kind === 'reference').map((e) => e.source);
const rcode: 'NOERROR' | 'NXDOMAIN' = dns(files, { name: 'kubernetes.default', type: 'A' }).rcode;
const codes: string[] = rules().map((r) => r.code);
await init();
const same: CheckJson[] = [checkWeb(files), checkBundler(files)];
console.log(severity, line, related, verdict, reachable, probabilities, kinds, sources, rcode, codes, same);
// @ts-expect-error: trace needs a destination
trace(files, { from: 'node:n1' });
// @ts-expect-error: the verdict is a closed set
const wrong: 'maybe' = t.verdict;
`);
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext',
      target: 'es2022', lib: ['es2022', 'dom'], types: [], skipLibCheck: false,
    },
    files: ['consumer.mts'],
  }));
  const tsc = join(root, 'tests/node_modules/typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const types = readFileSync(join(dir, 'node_modules/portolan/types.d.ts'), 'utf8');
  assert.match(types, /Generated from the Rust types/);
  // No `any` anywhere a type goes (comments may say "if any").
  const code = (types + readFileSync(join(dir, 'node_modules/portolan/index.d.ts'), 'utf8')).replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
  assert.doesNotMatch(code, /\bany\b/);
});

test('corpus: the API and the CLI see the same findings', () => {
  const require = createRequire(join(project(), 'index.js'));
  const portolan = require('portolan');
  const file = join(corpus, 'bookinfo.yaml');
  const api = portolan.check([{ name: file, text: readFileSync(file, 'utf8') }]);
  const cli = spawnSync(join(project(), 'node_modules/.bin/portolan'), ['check', '--format', 'json', file], { encoding: 'utf8' });
  assert.deepEqual(api, JSON.parse(cli.stdout));
});

test('API: diff answers as `portolan diff --format json` does', () => {
  const require = createRequire(join(project(), 'index.js'));
  const portolan = require('portolan');
  const head = APP.replace('replicas: 2', 'replicas: 3');
  const d = portolan.diff(FILES, [{ name: 'app.yaml', text: head }]);
  assert.deepEqual(d.changes.map((c) => [c.kind, c.subject, c.before, c.after]), [['endpoints-gained', 'service:shop/web:80/TCP', '2', '3']]);
  assert.deepEqual(d.changes[0].pods, ['workload:shop/Deployment/web']);
  const dir = writeFiles([{ name: 'base.yaml', text: APP }, { name: 'head.yaml', text: head }]);
  const cli = spawnSync(join(project(), 'node_modules/.bin/portolan'), ['diff', 'base.yaml', 'head.yaml', '--format', 'json'], { cwd: dir, encoding: 'utf8' });
  const fromCli = JSON.parse(cli.stdout);
  // The CLI names the files; the API's names are the ones it was given.
  assert.deepEqual(fromCli.changes.map((c) => c.kind), d.changes.map((c) => c.kind));
  assert.equal(cli.status, 0, cli.stderr);
  // The browser and bundler builds export it too.
  const web = readFileSync(join(project(), 'node_modules/portolan/web/index.js'), 'utf8');
  assert.match(web, /\bdiff\b/);
  assert.match(web, /\breach\b/);
});

test('API: client references are graph edges, findings and diff changes, as in the CLI', () => {
  const require = createRequire(join(project(), 'index.js'));
  const portolan = require('portolan');
  const file = join(corpus, 'online-boutique.yaml');
  const text = readFileSync(file, 'utf8');
  const refs = portolan.graph([{ name: file, text }]).edges.filter((e) => e.kind === 'reference');
  assert.equal(refs.length, 16);
  const redis = refs.find((e) => e.source === 'env:REDIS_ADDR');
  assert.deepEqual([redis.from, redis.to, redis.label, redis.file, redis.line], ['workload:default/Deployment/cartservice', 'port:default/redis-cart:6379/TCP', 'redis-cart:6379', file, 334]);
  const typo = text.replace('value: "redis-cart:6379"', 'value: "redis-crat:6379"');
  const findings = portolan.check([{ name: file, text: typo }]).diagnostics.filter((d) => d.code.startsWith('reference-'));
  assert.deepEqual(findings.map((d) => [d.code, d.line]), [['reference-to-missing-service', 334]]);
  const d = portolan.diff([{ name: file, text }], [{ name: file, text: typo }]);
  assert.deepEqual(d.changes.map((c) => [c.kind, c.severity, c.line]), [['reference-broken', 'error', 334]]);
});
