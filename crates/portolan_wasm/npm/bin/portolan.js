#!/usr/bin/env node
'use strict';
// `npx portolan`: the same commands, flags, outputs and exit codes as the
// native binary; every byte printed comes from the shared Rust command line.

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
