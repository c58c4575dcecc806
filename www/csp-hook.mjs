// Trunk post-build hook: write the Content-Security-Policy into the staged
// index.html, allowing the inline bootstrap script trunk emits by its hash.
// The page then can load only its own files: no request leaves the origin.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('TRUNK_STAGING_DIR is not set: run this as a trunk hook');
const file = join(dir, 'index.html');
let html = readFileSync(file, 'utf8');
const hashes = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map(
  (m) => `'sha256-${createHash('sha256').update(m[1], 'utf8').digest('base64')}'`,
);
const csp = [
  "default-src 'none'",
  `script-src 'self' 'wasm-unsafe-eval' ${hashes.join(' ')}`.trim(),
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  // The analysis Web Worker (its loader, its script and its wasm).
  "worker-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');
if (!html.includes('PORTOLAN_CSP')) throw new Error('index.html lacks the PORTOLAN_CSP placeholder');
// Trunk may re-serialise the attribute without quotes; write it quoted.
html = html.replace(/content=(["']?)PORTOLAN_CSP\1/, `content="${csp}"`);
writeFileSync(file, html);
console.log(`csp-hook: ${hashes.length} inline script(s) allowed by hash`);
