'use strict';
// Portolan's JavaScript API: typed wrappers over the wasm core (see index.d.ts).

const wasm = require('./wasm/portolan_wasm.js');

function split(files) {
  if (!Array.isArray(files)) throw new TypeError('files must be an array of {name, text}');
  const names = [];
  const texts = [];
  for (const f of files) {
    if (typeof f?.name !== 'string' || typeof f?.text !== 'string') {
      throw new TypeError('each file must be {name: string, text: string}');
    }
    names.push(f.name);
    texts.push(f.text);
  }
  return [names, texts];
}

function profileJson(profile) {
  return profile === undefined || profile === null ? undefined : JSON.stringify(profile);
}

/** Validate and lint manifests; returns the `check --format json` document. */
function check(files, options = {}) {
  const [names, texts] = split(files);
  return JSON.parse(wasm.check(names, texts, profileJson(options.profile)));
}

/** The routing graph; returns the `graph --format json` document. */
function graph(files, options = {}) {
  const [names, texts] = split(files);
  return JSON.parse(wasm.graph(names, texts, profileJson(options.profile)));
}

/** Every check with its documentation. */
function rules() {
  return JSON.parse(wasm.rules()).rules;
}

function version() {
  return wasm.version();
}

module.exports = { check, graph, rules, version };
