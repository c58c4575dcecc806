// Portolan's JavaScript API over any build of the wasm core (Node.js,
// browsers, bundlers): plain objects in, the parsed JSON documents of
// interfaces.md §4 out. Types: ../index.d.ts. `cargo xtask npm` derives the
// CommonJS twin lib/api.cjs from this file.

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

function profileJson(options) {
  const profile = options?.profile;
  return profile === undefined || profile === null ? undefined : JSON.stringify(profile);
}

function optionalString(value, what) {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new TypeError(`${what} must be a string`);
  return value;
}

/** `{name: value}` or `[[name, value]]` headers as `NAME:VALUE` strings. */
function headerList(headers) {
  if (headers === undefined || headers === null) return undefined;
  const entries = Array.isArray(headers) ? headers : Object.entries(headers);
  return entries.map((e) => {
    if (!Array.isArray(e) || e.length !== 2 || typeof e[0] !== 'string' || typeof e[1] !== 'string') {
      throw new TypeError('headers must be {name: value} or [[name, value], ...] of strings');
    }
    return `${e[0]}:${e[1]}`;
  });
}

export function makeApi(wasm) {
  /** Validate and lint manifests: the `check --format json` document. */
  function check(files, options = {}) {
    const [names, texts] = split(files);
    return JSON.parse(wasm.check(names, texts, profileJson(options)));
  }

  /** The routing graph: the `graph --format json` document. */
  function graph(files, options = {}) {
    const [names, texts] = split(files);
    return JSON.parse(wasm.graph(names, texts, profileJson(options)));
  }

  /** Simulate one packet: the `trace --format json` document. */
  function trace(files, request, options = {}) {
    const [names, texts] = split(files);
    if (typeof request?.from !== 'string' || typeof request?.to !== 'string') {
      throw new TypeError('request must be {from: string, to: string, ...}');
    }
    return JSON.parse(wasm.trace(names, texts, profileJson(options), request.from, request.to,
      optionalString(request.protocol, 'protocol'), optionalString(request.atNode, 'atNode'),
      optionalString(request.proxyMode, 'proxyMode'), optionalString(request.method, 'method'),
      headerList(request.headers), optionalString(request.via, 'via')));
  }

  /** What cluster DNS answers: the `dns --format json` document. */
  function dns(files, query, options = {}) {
    const [names, texts] = split(files);
    if (typeof query?.name !== 'string') throw new TypeError('query must be {name: string, type?: string}');
    return JSON.parse(wasm.dns(names, texts, profileJson(options), query.name,
      optionalString(query.type, 'type')));
  }

  /** Who can reach whom through NetworkPolicy: the `reach --format json` document. */
  function reach(files, request = {}, options = {}) {
    const [names, texts] = split(files);
    if (request === null || typeof request !== 'object') throw new TypeError('request must be {from?: string, to?: string}');
    return JSON.parse(wasm.reach(names, texts, profileJson(options),
      optionalString(request.from, 'from'), optionalString(request.to, 'to')));
  }

  /** What HEAD changes in routing against BASE: the `diff --format json` document. */
  function diff(base, head, options = {}) {
    const [baseNames, baseTexts] = split(base);
    const [headNames, headTexts] = split(head);
    return JSON.parse(wasm.diff(baseNames, baseTexts, headNames, headTexts, profileJson(options)));
  }

  /** Every check with its documentation. */
  function rules() {
    return JSON.parse(wasm.rules()).rules;
  }

  function version() {
    return wasm.version();
  }

  return { check, graph, trace, dns, reach, diff, rules, version };
}
