// Portolan in the browser, without a bundler: call the default export once
// (it fetches portolan_wasm_bg.wasm next to this file), then the API.
//
//   import init, { check } from 'portolan/web';
//   await init();
//   check([{ name: 'app.yaml', text }]);
import init, * as wasm from './portolan_wasm.js';
import { makeApi } from '../lib/api.mjs';

export default init;
export const { check, graph, trace, dns, reach, diff, rules, version } = makeApi(wasm);
