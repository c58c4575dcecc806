// Portolan for bundlers that implement the WebAssembly ES module integration
// (webpack 5 `experiments.asyncWebAssembly`, Vite with vite-plugin-wasm,
// Node.js `--experimental-wasm-modules`).
import * as wasm from './portolan_wasm.js';
import { makeApi } from '../lib/api.mjs';

export const { check, graph, trace, dns, reach, diff, rules, version } = makeApi(wasm);
