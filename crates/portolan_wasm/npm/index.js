'use strict';
// Portolan's JavaScript API for Node.js (CommonJS; types in index.d.ts).
// Browsers: `portolan/web`; bundlers: `portolan/bundler`.

const { makeApi } = require('./lib/api.cjs');

module.exports = makeApi(require('./wasm/portolan_wasm.js'));
