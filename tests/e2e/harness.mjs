// End-to-end harness: serves the release build (dist/) on loopback and drives
// Debian's chromium with playwright-core. Records every request the page
// makes so tests can prove nothing leaves the origin.
import { createServer } from 'node:http';
import { readFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, extname, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const dist = process.env.PORTOLAN_DIST || join(root, 'dist');
export const shots = join(root, 'target/e2e');
export const corpus = resolve(root, 'tests/corpus');

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.svg': 'image/svg+xml' };

export async function serve() {
  if (!existsSync(join(dist, 'index.html'))) throw new Error(`no release build at ${dist}: run trunk build --release first`);
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = join(dist, path === '/' ? 'index.html' : path);
    if (!file.startsWith(dist)) { res.writeHead(403).end(); return; }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { server, url: `http://127.0.0.1:${server.address().port}/` };
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** Open the app; returns the page and the list of every URL it requested. */
export async function open(browser, url, { width = 1600, height = 1000 } = {}) {
  const page = await browser.newPage({ viewport: { width, height } });
  const requests = [];
  const errors = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(url);
  await page.waitForSelector('[data-node-id]', { state: 'attached', timeout: 60_000 });
  return { page, requests, errors };
}

export async function screenshot(page, name) {
  await mkdir(shots, { recursive: true });
  await page.screenshot({ path: join(shots, `${name}.png`) });
}

/** Replace the editor's text as a paste would, then wait for the analysis. */
export async function paste(page, text) {
  // As a paste does: the whole text at once, one input event.
  await page.locator('[data-testid=editor]').evaluate((el, t) => {
    el.value = t;
    el.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
  }, text);
  await page.waitForFunction(() => !document.querySelector('[data-testid=summary]')?.textContent.includes('analysing'), null, { timeout: 60_000 });
}

/** Click a graph node and wait for its details (the worker sends them). */
export async function selectNode(page, id, { dispatch = false } = {}) {
  const node = page.locator(`[data-node-id="${id}"]`);
  if (dispatch) await node.dispatchEvent('click');
  else await node.click();
  await page.locator(`[data-testid=details][data-node="${id}"]`).waitFor({ state: 'attached', timeout: 10000 });
}
