#!/usr/bin/env node
'use strict';
// `npx portolan`: the same commands, flags, outputs and exit codes as the
// native binary; every byte printed comes from the shared Rust command line.

// V8 runs WebAssembly first with its baseline compiler (Liftoff) and
// recompiles hot functions with its optimising one (TurboFan) in the
// background; the process cannot exit before those compilations finish.
// For a command-line check of a few megabytes that second compilation
// costs more than it saves: a 5.3 MB check took 0.8 s with it and 0.56 s
// without (the core 0.64 → 0.41 s, and 0.35 s less waiting at exit). From
// about 20 MB of input on, the optimised code pays for itself (53 MB:
// 3.0 s with it, 4.4 s without), so large inputs keep V8's default.
// Set before the module is compiled; this process only, never the library.
const LIFTOFF_ONLY_BELOW = 20 << 20;
function inputBytes(args) {
  const fs = require('node:fs');
  const path = require('node:path');
  let total = 0;
  let entries = 0;
  const walk = (p, top) => {
    if (total >= LIFTOFF_ONLY_BELOW || entries++ > 20000) return;
    let st;
    try {
      st = fs.statSync(p);
    } catch {
      // Not a path (a command or an option's value), or unreadable: the
      // command itself will say so.
      return;
    }
    if (st.isFile()) total += st.size;
    else if (st.isDirectory()) {
      if (!top && path.basename(p).startsWith('.')) return;
      let names = [];
      try {
        names = fs.readdirSync(p);
      } catch {
        return;
      }
      for (const n of names) walk(path.join(p, n), false);
    }
  };
  for (const a of args) if (!a.startsWith('-')) walk(a, true);
  // Standard input has no size to read: assume it is large.
  return args.includes('-') || (entries > 20000) ? Infinity : total;
}
if (inputBytes(process.argv.slice(2)) < LIFTOFF_ONLY_BELOW) {
  require('node:v8').setFlagsFromString('--liftoff-only');
}
const wasm = require('../wasm/portolan_wasm.js');
const { readSources, readText, findConfig, gitSources } = require('../lib/host.js');
const path = require('node:path');

function main(argv) {
  const plan = wasm.planCli(argv);
  if (plan.error) return { stdout: '', stderr: plan.error, code: 2 };
  if (!plan.readsInput) return wasm.runCli(argv, [], new Uint8Array(0), new Uint32Array(0), undefined, undefined, false, undefined);
  const usage = (msg) => ({ stdout: '', stderr: `error: ${msg}\n\nRun 'portolan --help' for usage.\n`, code: 2 });
  try {
    let paths = plan.paths;
    if (paths.length === 0) {
      if (process.stdin.isTTY) return usage('no input: give a PATH, or pipe manifests to standard input');
      paths = ['-'];
    }
    let configJson;
    let ignore = [];
    const configPath = findConfig(plan.config, process.cwd());
    if (configPath) {
      const text = readText(configPath, configPath);
      try {
        configJson = wasm.yamlToJson(text);
      } catch (e) {
        return usage(`${configPath}:${e.message}`);
      }
      const parsed = JSON.parse(configJson);
      const base = path.dirname(configPath);
      ignore = (parsed.ignore || []).map((i) => (path.isAbsolute(i) ? i : path.relative(process.cwd(), path.join(base, i)) || '.'));
    }
    let profileJson;
    if (plan.profile) {
      try {
        profileJson = wasm.yamlToJson(readText(plan.profile, plan.profile));
      } catch (e) {
        return usage(e.message.startsWith(plan.profile) ? e.message : `${plan.profile}:${e.message}`);
      }
    }
    let sources;
    let split;
    if (plan.diff) {
      // BASE first (the first path, or the one path at --base-ref), then HEAD.
      const base = plan.baseRef ? gitSources(plan.baseRef, paths[0], ignore) : readSources(paths.slice(0, 1), ignore);
      const head = readSources(plan.baseRef ? paths : paths.slice(1), ignore);
      sources = base.concat(head);
      split = base.length;
    } else {
      sources = readSources(paths, ignore);
    }
    const color = plan.color === 'always' || (plan.color === 'auto' && process.stdout.isTTY === true && !process.env.NO_COLOR);
    const data = Buffer.concat(sources.map((s) => s.bytes));
    const lengths = Uint32Array.from(sources, (s) => s.bytes.length);
    return wasm.runCli(argv, sources.map((s) => s.name), data, lengths, profileJson, configJson, color, split);
  } catch (e) {
    return usage(e.message);
  }
}

const out = main(process.argv.slice(2));
process.stdout.write(out.stdout);
process.stderr.write(out.stderr);
process.exitCode = out.code;
