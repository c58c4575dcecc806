// The npm CLI (the WebAssembly core in Node) and the native CLI side by
// side on the same inputs, in one run (issue 16): whole processes, the
// median of N runs each, and their ratio. A benchmark, not a test: it
// prints figures and asserts nothing. Run it with `cargo xtask bench-npm`,
// which builds both CLIs and generates the snapshots first.
//
//   node tests/bench/npm-vs-native.mjs [--runs N] FILE...
//
// PORTOLAN_NATIVE and PORTOLAN_NPM_CLI name the two CLIs (defaults: the
// `fast` build and the package `cargo xtask npm` builds).
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const native = process.env.PORTOLAN_NATIVE || join(root, 'target/fast/portolan');
const npmCli = process.env.PORTOLAN_NPM_CLI || join(root, 'target/npm/portolan/bin/portolan.js');

let runs = 5;
const files = [];
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--runs') runs = Number(argv[++i]);
  else files.push(argv[i]);
}
if (files.length === 0 || !(runs > 0)) {
  console.error('usage: node tests/bench/npm-vs-native.mjs [--runs N] FILE...');
  process.exit(2);
}

/** Wall seconds of one whole process; its output is discarded. */
function wall(cmd, args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 30 });
  const t = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0 && r.status !== 1) {
    throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  }
  return t;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** The median wall time of `runs` runs, the runs interleaved with the others'. */
function measure(kinds, file) {
  const times = kinds.map(() => []);
  for (let i = 0; i < runs; i++) {
    kinds.forEach(([, cmd, args], k) => times[k].push(wall(cmd, [...args, file])));
  }
  return times.map(median);
}

const taskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0;
const check = ['check', '--format', 'json'];
const kinds = [
  ['native', native, check],
  ...(taskset ? [['native, one core', 'taskset', ['-c', '0', native, ...check]]] : []),
  ['npm', process.execPath, [npmCli, ...check]],
];
const start = median(Array.from({ length: runs }, () => wall(process.execPath, ['-e', ''])));
console.log(`node ${process.version}, ${runs} runs each, medians; Node's own start: ${start.toFixed(3)} s`);
console.log(`| input | size | ${kinds.map(([k]) => k).join(' | ')} | npm ÷ native |`);
console.log(`|---|---|${kinds.map(() => '---|').join('')}---|`);
for (const file of files) {
  const t = measure(kinds, file);
  const mb = (statSync(file).size / 1e6).toFixed(1);
  const ratio = t[t.length - 1] / t[0];
  console.log(`| ${basename(file)} | ${mb} MB | ${t.map((x) => `${x.toFixed(2)} s`).join(' | ')} | ${ratio.toFixed(1)}× |`);
}
