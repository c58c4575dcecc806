// The Portolan GitHub Action's script (action.yml): plain Node, no
// dependencies. It runs `portolan diff` twice (md for people, json for the
// verdict) and SARIF once, writes the job summary, posts or updates the
// pull-request comment, and sets the exit status per `fail-on`.
//
// Environment: the `INPUT_*` variables of action.yml and GitHub's own
// (`GITHUB_EVENT_PATH`, `GITHUB_REPOSITORY`, `GITHUB_API_URL`,
// `GITHUB_STEP_SUMMARY`, `GITHUB_OUTPUT`, `GITHUB_BASE_REF`).
// `PORTOLAN_BIN` runs a local `portolan` instead of `npx portolan@VERSION`.
import { spawnSync } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';

const MARKER = '<!-- portolan-diff -->';

function input(name, fallback = '') {
  const v = process.env[`INPUT_${name}`];
  return v === undefined || v === '' ? fallback : v;
}

function portolan(args) {
  const bin = process.env.PORTOLAN_BIN;
  const [cmd, all] = bin
    ? [bin, args]
    : ['npx', ['--yes', `portolan@${input('VERSION', 'latest')}`, ...args]];
  const r = spawnSync(cmd, all, { encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.error) throw r.error;
  if (r.status === 2) throw new Error(r.stderr.trim() || `portolan ${args.join(' ')} failed`);
  return r.stdout;
}

function event() {
  const path = process.env.GITHUB_EVENT_PATH;
  if (!path) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return {};
  }
}

async function comment(body, pr) {
  const api = process.env.GITHUB_API_URL || 'https://api.github.com';
  const repo = process.env.GITHUB_REPOSITORY;
  const headers = {
    authorization: `Bearer ${input('TOKEN')}`,
    accept: 'application/vnd.github+json',
    'content-type': 'application/json',
  };
  const list = await fetch(`${api}/repos/${repo}/issues/${pr}/comments?per_page=100`, { headers });
  if (!list.ok) throw new Error(`listing comments: HTTP ${list.status}`);
  const mine = (await list.json()).find((c) => typeof c.body === 'string' && c.body.includes(MARKER));
  const url = mine ? `${api}/repos/${repo}/issues/comments/${mine.id}` : `${api}/repos/${repo}/issues/${pr}/comments`;
  const r = await fetch(url, { method: mine ? 'PATCH' : 'POST', headers, body: JSON.stringify({ body: `${MARKER}\n${body}` }) });
  if (!r.ok) throw new Error(`posting the comment: HTTP ${r.status}`);
}

async function main() {
  const ev = event();
  const pr = ev.pull_request?.number;
  const base = input('BASE_REF')
    || (process.env.GITHUB_BASE_REF ? `origin/${process.env.GITHUB_BASE_REF}` : '')
    || ev.pull_request?.base?.sha
    || 'HEAD^';
  const path = input('PATH', '.');
  const run = (format) => portolan(['diff', '--base-ref', base, path, '--format', format]);
  const md = run('md');
  const json = JSON.parse(run('json'));
  const sarif = input('SARIF', '');
  if (sarif) writeFileSync(sarif, run('sarif'));
  const errors = json.changes.filter((c) => c.severity === 'error').length
    + json.findings.introduced.filter((f) => f.severity === 'error').length;
  const warnings = json.changes.filter((c) => c.severity === 'warning').length
    + json.findings.introduced.filter((f) => f.severity === 'warning').length;
  if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, `${md}\n`);
  if (process.env.GITHUB_OUTPUT) {
    appendFileSync(process.env.GITHUB_OUTPUT, `changes=${json.changes.length}\nbreaking=${errors}\n`);
  }
  process.stdout.write(md);
  if (pr && input('COMMENT', 'true') === 'true') await comment(md, pr);
  const failOn = input('FAIL_ON', 'error');
  if (!['error', 'warning', 'never'].includes(failOn)) throw new Error(`fail-on: error, warning or never, not '${failOn}'`);
  if ((failOn !== 'never' && errors > 0) || (failOn === 'warning' && warnings > 0)) {
    console.error(`portolan: ${errors} breaking change(s) or finding(s), ${warnings} warning(s)`);
    process.exitCode = 1;
  }
}

main().catch((e) => {
  console.error(`portolan: ${e.message}`);
  process.exitCode = 2;
});
