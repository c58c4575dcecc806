// The GitHub Action (action.yml, .github/action/run.mjs) run as GitHub
// runs it, with a fake environment: a temporary git repository with a
// pull request's edit, GITHUB_* files, and a local server standing in for
// the GitHub API (the comment is posted, then updated in place).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { project, root, bookinfoRepo } from './helpers.mjs';

function repo() {
  const { dir, app } = bookinfoRepo('portolan-action-');
  writeFileSync(join(dir, 'k8s/app.yaml'), app.replace('  selector:\n    app: ratings', '  selector:\n    app: rating'));
  return dir;
}

/** A stand-in for the GitHub API: records requests, answers the comment list. */
async function fakeApi() {
  const requests = [];
  let comments = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      requests.push({ method: req.method, url: req.url, auth: req.headers.authorization, body: body ? JSON.parse(body) : null });
      res.setHeader('content-type', 'application/json');
      if (req.method === 'GET') {
        res.end(JSON.stringify(comments));
      } else {
        const c = { id: 7, body: JSON.parse(body).body };
        comments = [c];
        res.end(JSON.stringify(c));
      }
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { server, requests, url: `http://127.0.0.1:${server.address().port}` };
}

function runAction(dir, env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, '.github/action/run.mjs')], {
      cwd: dir,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => { stdout += c; });
    child.stderr.on('data', (c) => { stderr += c; });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('action: the diff goes to the job summary, a pull-request comment (updated in place), SARIF, outputs and the exit status', async () => {
  const dir = repo();
  const api = await fakeApi();
  const eventPath = join(dir, 'event.json');
  writeFileSync(eventPath, JSON.stringify({ pull_request: { number: 42, base: { sha: 'HEAD' } } }));
  const env = {
    PORTOLAN_BIN: join(project(), 'node_modules/.bin/portolan'),
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_API_URL: api.url,
    GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
    GITHUB_OUTPUT: join(dir, 'output.txt'),
    INPUT_PATH: 'k8s',
    INPUT_BASE_REF: 'HEAD',
    INPUT_TOKEN: 'secret-token',
    INPUT_SARIF: join(dir, 'diff.sarif'),
  };
  try {
    const r = await runAction(dir, env);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /1 breaking change/);
    const summary = readFileSync(env.GITHUB_STEP_SUMMARY, 'utf8');
    assert.match(summary, /^### ❌ Portolan: 1 breaking/);
    assert.match(summary, /service:default\/ratings/);
    assert.match(readFileSync(env.GITHUB_OUTPUT, 'utf8'), /^changes=2\nbreaking=1\n$/);
    const sarif = JSON.parse(readFileSync(env.INPUT_SARIF, 'utf8'));
    assert.equal(sarif.runs[0].results[0].ruleId, 'service-unreachable');
    assert.deepEqual(api.requests.map((q) => `${q.method} ${q.url}`), ['GET /repos/acme/shop/issues/42/comments?per_page=100', 'POST /repos/acme/shop/issues/42/comments']);
    assert.equal(api.requests[1].auth, 'Bearer secret-token');
    assert.match(api.requests[1].body.body, /^<!-- portolan-diff -->\n### ❌ Portolan/);
    // The next push updates the same comment; fail-on: never passes.
    const again = await runAction(dir, { ...env, INPUT_FAIL_ON: 'never' });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(api.requests.at(-1).method, 'PATCH');
    assert.equal(api.requests.at(-1).url, '/repos/acme/shop/issues/comments/7');
    // Outside a pull request there is nothing to comment on; a bad input is a usage error.
    const push = await runAction(dir, { ...env, GITHUB_EVENT_PATH: '', INPUT_FAIL_ON: 'sometimes' });
    assert.equal(push.code, 2);
    assert.match(push.stderr, /fail-on: error, warning or never/);
  } finally {
    api.server.close();
  }
});

test('action: action.yml passes every input to the script', () => {
  const yml = readFileSync(join(root, 'action.yml'), 'utf8');
  const section = yml.slice(yml.indexOf('\ninputs:'), yml.indexOf('\noutputs:'));
  const inputs = [...section.matchAll(/^ {2}([a-z-]+):\n {4}description:/gm)].map((m) => m[1]);
  assert.deepEqual(inputs, ['path', 'base-ref', 'fail-on', 'comment', 'sarif', 'version', 'token']);
  for (const i of inputs) {
    assert.match(yml, new RegExp(`INPUT_${i.toUpperCase().replace('-', '_')}: \\$\\{\\{ inputs.${i} \\}\\}`), i);
  }
  const script = readFileSync(join(root, '.github/action/run.mjs'), 'utf8');
  for (const i of inputs) assert.match(script, new RegExp(`input\\('${i.toUpperCase().replace('-', '_')}'`), i);
});
