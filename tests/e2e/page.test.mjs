// Issue 17, the page a person can read at first sight, find their way in,
// and trust with their work: each property measured in Chromium (font sizes
// in CSS px, what is visible, what survives a reload), with screenshots.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serve, launch, open, screenshot, paste, corpus } from './harness.mjs';

let server;
let url;
let browser;

before(async () => {
  ({ server, url } = await serve());
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
});

/** The rendered size (CSS px) of every label inside the graph's pane. */
async function labelSizes(page) {
  return page.evaluate(() => {
    const svg = document.querySelector('[data-testid=graph]');
    const k = svg.getScreenCTM().a;
    const pane = svg.getBoundingClientRect();
    const sizes = {};
    for (const t of svg.querySelectorAll('text')) {
      const b = t.getBoundingClientRect();
      const inside = b.width > 0 && b.right > pane.left && b.left < pane.right && b.bottom > pane.top && b.top < pane.bottom;
      if (!inside) continue;
      const px = parseFloat(getComputedStyle(t).fontSize) * k;
      const cls = t.getAttribute('class') || 'text';
      sizes[cls] = Math.min(sizes[cls] ?? Infinity, px);
    }
    return sizes;
  });
}

/** Node boxes whose text is wider than the box, and labels cut short. */
async function overflowing(page) {
  return page.evaluate(() => {
    const out = { wider: [], cut: [] };
    for (const g of document.querySelectorAll('[data-testid=graph] .node')) {
      const w = Number(g.querySelector('rect').getAttribute('width'));
      for (const t of g.querySelectorAll('.node-label, .node-sub')) {
        if (t.getComputedTextLength() + 10 > w + 1) out.wider.push(`${g.dataset.nodeId}: ${t.textContent}`);
        if (t.textContent.includes('…')) out.cut.push(t.textContent);
      }
    }
    return out;
  });
}

const viewBox = async (page) => (await page.locator('[data-testid=graph]').getAttribute('viewBox')).split(' ').map(Number);

for (const [width, height] of [[1280, 720], [1600, 1000]]) {
  test(`readable at first sight at ${width}×${height}: labels ≥ 11 px, whole names, what matters in view, a minimap, Fit`, async () => {
    const { page, errors } = await open(browser, url, { width, height });
    for (const [name, text] of [
      ['Online Boutique', null],
      ['OpenTelemetry demo', readFileSync(join(corpus, 'opentelemetry-demo.yaml'), 'utf8')],
    ]) {
      if (text) await paste(page, text);
      await page.waitForTimeout(100);
      const sizes = await labelSizes(page);
      const smallest = Math.min(...Object.values(sizes));
      console.log(`# ${width}×${height} ${name}: smallest label ${smallest.toFixed(1)} px (${Object.entries(sizes).map(([c, s]) => `${c} ${s.toFixed(1)}`).join(', ')})`);
      for (const cls of ['node-label', 'node-sub', 'edge-label']) assert.ok(sizes[cls] >= 11, `${name}: ${cls} ${sizes[cls]} px`);
      assert.ok(smallest >= 11, `${name}: every label in view is 11 px or more`);
      const o = await overflowing(page);
      assert.deepEqual(o.wider, [], `${name}: text wider than its box`);
      assert.deepEqual(o.cut, [], `${name}: labels cut`);
      // The ways in (or, without any, the Services) are in view, and the
      // minimap shows where the view is.
      const ways = '[data-testid=graph] :is(.kind-loadbalancer, .kind-nodeport, .kind-externalip, .kind-ingress, .kind-gateway, .kind-service.flagged)';
      const candidates = (await page.locator(ways).count()) ? page.locator(ways) : page.locator('[data-testid=graph] .kind-service');
      const pane = await page.locator('[data-testid=graph]').boundingBox();
      const boxes = await candidates.evaluateAll((els) => els.map((e) => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, width: r.width, height: r.height }; }));
      const inView = (b) => b.x >= pane.x - 1 && b.x + b.width <= pane.x + pane.width + 1 && b.y >= pane.y - 1 && b.y + b.height <= pane.y + pane.height + 1;
      assert.ok(boxes.some(inView), `${name}: what matters is in view`);
      await page.locator('[data-testid=minimap]').waitFor();
      if (width === 1280) await screenshot(page, `10-readable-${width}-${name === 'Online Boutique' ? 'boutique' : 'otel'}`);
      // A click on the minimap moves the view there.
      const before = await viewBox(page);
      const map = await page.locator('[data-testid=minimap]').boundingBox();
      await page.mouse.click(map.x + map.width * 0.9, map.y + map.height * 0.9);
      assert.notDeepEqual(await viewBox(page), before, `${name}: the minimap moves the view`);
      // Fit shows everything, in both directions; the minimap goes.
      await page.getByRole('button', { name: 'Show the whole graph' }).click();
      const [x, y, w, h] = await viewBox(page);
      const layout = await page.evaluate(() => {
        const g = document.querySelector('[data-testid=graph] .groups').getBBox();
        const n = document.querySelector('[data-testid=graph] .nodes').getBBox();
        return { right: Math.max(g.x + g.width, n.x + n.width), bottom: Math.max(g.y + g.height, n.y + n.height) };
      });
      assert.ok(x <= 0 && y <= 0 && x + w >= layout.right && y + h >= layout.bottom, `${name}: Fit shows the whole graph`);
      assert.equal(await page.locator('[data-testid=minimap]').count(), 0);
    }
    assert.deepEqual(errors, []);
    await page.close();
  });
}

// The three viewports of issue 17: on a phone the panes are tabs, and a
// selection brings the details to the front.
const SIZES = [[1600, 1000], [1280, 720], [390, 844]];

/** Show a pane: a tab on a phone, always there on a wide screen. */
async function pane(page, name) {
  if (await page.locator('[data-testid=tabs]').isVisible()) await page.locator(`[data-testid=tab-${name}]`).click();
}

for (const [width, height] of SIZES) test(`find and focus at ${width}×${height}: search, the selection's whole path lit and the rest dimmed, a legend, Services with no endpoint in the error colour`, async () => {
  const { page, errors } = await open(browser, url, { width, height });
  const node = (id) => page.locator(`[data-node-id="${id}"]`);
  await page.locator('[data-testid=graph-search]').fill('cart');
  assert.match(await page.locator('[data-testid=search-count]').textContent(), /^[1-9]\d* match/);
  assert.match(await node('service:default/cartservice').getAttribute('class'), /\bmatch\b/);
  assert.match(await node('service:default/adservice').getAttribute('class'), /\bdim\b/);
  // Enter selects the first match.
  await page.locator('[data-testid=graph-search]').press('Enter');
  await page.locator('[data-testid=details][data-node] .pane-title').waitFor({ state: 'attached' });
  assert.match(await page.locator('[data-testid=details][data-node] .pane-title').textContent(), /cart/);
  await pane(page, 'graph');
  await page.locator('[data-testid=graph-search]').fill('');
  // A Service selected: its ports and pods lit, everything else dimmed.
  await page.keyboard.press('Escape');
  await page.locator('[data-testid=graph-search]').fill('checkoutservice');
  await page.locator('[data-testid=graph-search]').press('Enter');
  await pane(page, 'graph');
  await page.locator('[data-testid=graph-search]').fill('');
  const lit = await page.locator('[data-testid=graph] .node:not(.dim)').evaluateAll((els) => els.map((e) => e.dataset.nodeId));
  assert.ok(lit.includes('service:default/checkoutservice'));
  assert.ok(lit.includes('port:default/checkoutservice:5050/TCP'));
  assert.ok(lit.some((id) => id.startsWith('pod:default/checkoutservice-')), lit.join(', '));
  assert.ok(!lit.includes('service:default/adservice'));
  assert.ok(await page.locator('[data-testid=graph] .edge.hot').count() >= 2);
  await screenshot(page, `11-focus-${width}`);
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('[data-testid=graph] .node.dim').count(), 0, 'Esc lights everything again');
  // The legend says what the colours mean.
  await page.locator('[data-testid=legend] summary').click();
  assert.match(await page.locator('[data-testid=legend]').textContent(), /no ready endpoint/);
  await page.locator('[data-testid=legend] summary').click();
  // A Service whose selector matches nothing: drawn in the error colour,
  // "Endpoints (0)" in its details.
  await paste(page, 'apiVersion: v1\nkind: Service\nmetadata: {name: lonely}\nspec:\n  selector: {app: nobody}\n  ports: [{port: 80}]\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: web, labels: {app: web}}\nspec:\n  containers: [{name: web, image: nginx}]\n');
  assert.match(await node('service:default/lonely').getAttribute('class'), /\bempty\b/);
  await node('service:default/lonely').click();
  assert.equal(await page.locator('[data-testid=no-endpoints]').textContent(), 'Endpoints (0)');
  assert.match(await page.locator('[data-testid=details-summary]').textContent(), /none is ready: a connection to it is refused/);
  assert.deepEqual(errors, []);
  await page.close();
});

for (const [width, height] of SIZES) test(`details for every node kind at ${width}×${height}, in words, with trace from here and trace to here`, async () => {
  const { page, errors } = await open(browser, url, { width, height });
  const select = async (query) => {
    await pane(page, 'graph');
    await page.locator('[data-testid=graph-search]').fill(query);
    await page.locator('[data-testid=graph-search]').press('Enter');
    await pane(page, 'graph');
    await page.locator('[data-testid=graph-search]').fill('');
    await pane(page, 'details');
    await page.locator('[data-testid=details][data-node]').waitFor({ state: 'attached' });
  };
  // A Service: what kind of doorway, who reaches it, where it sends.
  await select('service:default/frontend-external');
  const summary = await page.locator('[data-testid=details-summary]').textContent();
  assert.match(summary, /A LoadBalancer Service: a cloud load balancer at 203\.0\.113\.\d+/);
  assert.match(summary, /Pods reach it as frontend-external\.default\.svc\.cluster\.local/);
  assert.match(summary, /It sends to the pods whose labels include app=frontend: 1 ready endpoint/);
  await screenshot(page, `12-service-in-words-${width}`);
  // A port: its own details and endpoints.
  await select('port:default/cartservice:7070/TCP');
  assert.match(await page.locator('[data-testid=details][data-node] .pane-title').textContent(), /Port 7070\/TCP of Service default\/cartservice/);
  assert.match(await page.locator('[data-testid=details-summary]').textContent(), /go to port 7070 of 1 ready endpoint/);
  assert.equal(await page.locator('[data-testid=endpoints] tbody tr').count(), 1);
  // Trace to here from a port, then from a pod.
  await page.locator('[data-testid=trace-to-here]').click();
  assert.equal(await page.locator('[data-testid=trace-to]').inputValue(), 'cartservice.default:7070');
  await select('pod:default/frontend-');
  await page.locator('[data-testid=trace-from-here]').click();
  assert.match(await page.locator('[data-testid=trace-from]').inputValue(), /^pod:default\/frontend-/);
  await pane(page, 'trace');
  await page.locator('[data-testid=trace-run]').click();
  await page.waitForSelector('[data-testid=trace-result]');
  assert.equal(await page.locator('[data-testid=trace-result]').getAttribute('data-verdict'), 'delivered');
  // A way in: its details, and a trace from outside the cluster.
  await select('lb:203.0.113');
  assert.match(await page.locator('[data-testid=details-summary]').textContent(), /clients outside the cluster reach default\/frontend-external port 80\/TCP through it/);
  await page.locator('[data-testid=trace-to-here]').click();
  assert.equal(await page.locator('[data-testid=trace-from]').inputValue(), 'external');
  assert.match(await page.locator('[data-testid=trace-to]').inputValue(), /^203\.0\.113\.\d+:80$/);
  await pane(page, 'trace');
  await page.locator('[data-testid=trace-run]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=trace-result]')?.dataset.verdict === 'delivered');
  // The nodes list is reachable with a node selected.
  assert.equal(await page.locator('[data-testid=node-list] summary').textContent(), 'Nodes (3)');
  assert.deepEqual(errors, []);
  await page.close();
});

for (const [width, height] of SIZES) test(`work is kept at ${width}×${height}: the text across reloads, an example that replaced it can be undone, the theme follows the system and is remembered`, async () => {
  const { page, errors } = await open(browser, url, { width, height });
  const bookinfo = `# my own copy\n${readFileSync(join(corpus, 'bookinfo.yaml'), 'utf8')}`;
  await paste(page, bookinfo);
  await page.reload();
  await page.waitForSelector('[data-node-id="service:default/reviews"]', { state: 'attached' });
  assert.equal(await page.locator('[data-testid=editor]').inputValue(), bookinfo, 'the text survives a reload');
  // An example replaces it; the user's text comes back with one click.
  await page.locator('[data-testid=examples]').selectOption({ index: 3 });
  await page.locator('[data-testid=replaced-banner]').waitFor();
  await page.locator('[data-testid=restore]').click();
  assert.equal(await page.locator('[data-testid=editor]').inputValue(), bookinfo);
  assert.equal(await page.locator('[data-testid=replaced-banner]').count(), 0);
  // The theme: the system's preference, then the user's choice, kept.
  const dark = await browser.newPage({ viewport: { width: 1280, height: 720 }, colorScheme: 'dark' });
  await dark.goto(url);
  await dark.waitForSelector('[data-node-id]', { state: 'attached' });
  assert.equal(await dark.locator('.app.theme-dark').count(), 1, 'prefers-color-scheme: dark');
  await dark.getByRole('button', { name: 'Switch between light and dark theme' }).click();
  await dark.reload();
  await dark.waitForSelector('[data-node-id]', { state: 'attached' });
  assert.equal(await dark.locator('.app.theme-light').count(), 1, 'the choice is remembered');
  await dark.close();
  assert.deepEqual(errors, []);
  await page.close();
});

for (const [width, height] of SIZES) test(`a share link at ${width}×${height} says what it changes, with reset, and carries the selection and the trace`, async () => {
  const { page, errors } = await open(browser, url, { width, height });
  await page.locator('[data-testid=graph-search]').fill('pod:default/cartservice-');
  await page.locator('[data-testid=graph-search]').press('Enter');
  await pane(page, 'details');
  await page.locator('[data-testid=kill-pod]').click();
  await page.locator('[data-testid=what-if]').waitFor();
  await pane(page, 'graph');
  await page.locator('[data-testid=graph-search]').fill('service:default/cartservice');
  await page.locator('[data-testid=graph-search]').press('Enter');
  await pane(page, 'details');
  await page.locator('[data-testid=trace-to-here]').click();
  await pane(page, 'trace');
  await page.locator('[data-testid=trace-run]').click();
  await page.waitForSelector('[data-testid=trace-result]');
  await page.locator('[data-testid=share]').click();
  await page.waitForSelector('[data-testid=shared]');
  const link = page.url();
  const { page: other } = await open(browser, link, { width, height });
  const banner = other.locator('[data-testid=link-banner]');
  await banner.waitFor();
  assert.match(await banner.textContent(), /This link changes the snapshot: pod default\/cartservice-\S+ deleted/);
  await screenshot(other, `13-share-banner-${width}`);
  // The selection and the trace came with it.
  await other.waitForSelector('[data-testid=trace-result]', { state: 'attached' });
  assert.match(await other.locator('[data-testid=details][data-node] .pane-title').textContent(), /Service default\/cartservice/);
  assert.equal(await other.locator('[data-testid=trace-to]').inputValue(), 'cartservice.default:7070');
  await other.locator('[data-testid=link-reset]').click();
  assert.equal(await other.locator('[data-testid=link-banner]').count(), 0);
  await other.locator('[data-testid=what-if]').waitFor({ state: 'detached' });
  await other.close();
  assert.deepEqual(errors, []);
  await page.close();
});

for (const [width, height] of SIZES) test(`trace that guides at ${width}×${height}: suggestions that fit the source, a Service's bare name, plain errors, rules behind "why"`, async () => {
  const { page, errors } = await open(browser, url, { width, height });
  await pane(page, 'trace');
  const options = () => page.locator('#trace-destinations option').evaluateAll((os) => os.map((o) => o.value));
  assert.ok((await options()).includes('cartservice.default:7070'), 'a pod is offered the cluster\'s names');
  await page.locator('[data-testid=trace-from]').selectOption('external');
  const outside = await options();
  assert.ok(outside.some((o) => /^203\.0\.113\.\d+:80$/.test(o)), `the load balancer: ${outside}`);
  assert.ok(outside.includes('172.18.0.2:30000'), `a node port: ${outside}`);
  assert.ok(!outside.includes('cartservice.default:7070'), 'no cluster names for an outside client');
  // A Service with one port is reached by its name alone.
  await page.locator('[data-testid=trace-from]').selectOption({ index: 0 });
  await page.locator('[data-testid=trace-to]').fill('cartservice');
  await page.locator('[data-testid=trace-run]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=trace-result]')?.dataset.verdict === 'delivered');
  // Each hop says what happened; the rule it follows is behind "why".
  const hop = page.locator('[data-testid=trace-result] .hops li').filter({ hasText: 'DNAT' }).first();
  assert.doesNotMatch(await hop.evaluate((li) => [...li.childNodes].filter((n) => n.nodeName !== 'DETAILS').map((n) => n.textContent).join('')), /\(D\.\d/);
  await hop.locator('.why summary').click();
  assert.match(await hop.locator('.why').textContent(), /Rule D\.2\.4 of docs\/spec\/kubernetes-services\.md/);
  await screenshot(page, `14-trace-why-${width}`);
  // A port the Service lacks: the path in the error colour, stopping at
  // the Service.
  await page.locator('[data-testid=trace-to]').fill('cartservice.default:9999');
  await page.locator('[data-testid=trace-run]').click();
  await page.waitForFunction(() => ['reject', 'not-intercepted', 'drop'].includes(document.querySelector('[data-testid=trace-result]')?.dataset.verdict));
  assert.deepEqual(await page.locator('[data-testid=graph] .node.stopped').evaluateAll((els) => els.map((e) => e.dataset.nodeId)), ['service:default/cartservice']);
  assert.equal(await page.locator('[data-testid=graph].trace-failed').count(), 1);
  await screenshot(page, `14b-trace-stopped-${width}`);
  // A name that is no Service, without a port: what to write instead.
  await page.locator('[data-testid=trace-to]').fill('nosuchthing');
  await page.locator('[data-testid=trace-run]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=trace-result]')?.dataset.verdict === 'invalid');
  const message = await page.locator('[data-testid=trace-result]').textContent();
  assert.match(message, /'nosuchthing' has no port\. Write an address and a port/);
  assert.doesNotMatch(message, /--to/);
  assert.equal(await page.locator('[data-testid=trace-live]').getAttribute('aria-live'), 'polite');
  assert.deepEqual(errors, []);
  await page.close();
});

for (const [width, height] of SIZES) test(`keyboard at ${width}×${height}: a skip link, the graph is one tab stop, arrows move between nodes, + and - zoom`, async () => {
  const { page, errors } = await open(browser, url, { width, height });
  assert.equal(await page.locator('[data-testid=graph] .node[tabindex="0"]').count(), 1, 'one tab stop in the graph');
  // The skip link is the first thing Tab reaches.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to the trace form');
  await page.locator('[data-testid=graph] .node[tabindex="0"]').focus();
  const first = await page.evaluate(() => document.activeElement.dataset.nodeId);
  await page.keyboard.press('ArrowDown');
  const below = await page.evaluate(() => document.activeElement.dataset.nodeId);
  assert.ok(below && below !== first, `${first} → ${below}`);
  await page.keyboard.press('ArrowRight');
  const right = await page.evaluate(() => document.activeElement.dataset.nodeId);
  assert.ok(right && right !== below, `${below} → ${right}`);
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('[data-testid=graph] .node.selected').getAttribute('data-node-id'), right);
  // On a phone the selection brought the details to the front: back to
  // the graph, whose tab stop is the selected node.
  await pane(page, 'graph');
  await page.locator('[data-testid=graph] .node[tabindex="0"]').focus();
  const before = await viewBox(page);
  await page.keyboard.press('-');
  const after = await viewBox(page);
  assert.ok(after[2] > before[2], 'zoomed out');
  assert.deepEqual(errors, []);
  await page.close();
});

test('contrast: text at least 4.5:1 and underlines at least 3:1 in both themes', async () => {
  const { page } = await open(browser, url);
  for (const theme of ['light', 'dark']) {
    if (theme === 'dark') await page.getByRole('button', { name: 'Switch between light and dark theme' }).click();
    const ratios = await page.evaluate(() => {
      const style = getComputedStyle(document.querySelector('.app'));
      const rgb = (name) => {
        const hex = style.getPropertyValue(name).trim().replace('#', '');
        return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
      };
      const lum = (c) => { const [r, g, b] = c.map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
      const ratio = (a, b) => { const [x, y] = [lum(rgb(a)), lum(rgb(b))].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
      const out = [];
      for (const fg of ['--ink', '--muted', '--accent', '--bad', '--warn', '--ok']) for (const bg of ['--panel', '--bg']) out.push([fg, bg, ratio(fg, bg), 4.5]);
      for (const fg of ['--ink', '--muted']) for (const bg of ['--svc', '--port', '--pod', '--entry', '--code-bg']) out.push([fg, bg, ratio(fg, bg), 4.5]);
      for (const fg of ['--bad', '--warn', '--muted']) out.push([fg, '--code-bg', ratio(fg, '--code-bg'), 3]);
      return out;
    });
    const low = ratios.filter(([, , r, min]) => r < min).map(([f, b, r]) => `${f} on ${b}: ${r.toFixed(2)}`);
    console.log(`# contrast ${theme}: lowest ${Math.min(...ratios.map(([, , r]) => r)).toFixed(2)}:1`);
    assert.deepEqual(low, [], theme);
  }
  await page.close();
});

test('a phone: the panes are tabs, the bars leave the screen to the graph, targets are tappable, details come to the front', async () => {
  const { page, errors } = await open(browser, url, { width: 390, height: 844 });
  await page.locator('[data-testid=tabs]').waitFor();
  const graph = await page.locator('[data-testid=graph]').boundingBox();
  const share = graph.height / 844;
  console.log(`# 390×844: the graph takes ${(share * 100).toFixed(0)}% of the screen's height`);
  assert.ok(share >= 0.6, `the graph takes ${(share * 100).toFixed(0)}% of the height`);
  assert.equal(await page.locator('[data-testid=editor]').isVisible(), false, 'one pane at a time');
  // Tap targets: the tabs and the buttons in view are at least 36 px high.
  const small = await page.evaluate(() => [...document.querySelectorAll('.tab, .toolbar .button, .graph-tools .button')]
    .filter((b) => b.getBoundingClientRect().height > 0 && b.getBoundingClientRect().height < 36).map((b) => b.textContent));
  assert.deepEqual(small, []);
  const sizes = await labelSizes(page);
  assert.ok(Math.min(...Object.values(sizes)) >= 11, JSON.stringify(sizes));
  await screenshot(page, '15-phone-graph');
  // A tap on a node brings its details to the front, inside the screen.
  await page.locator('[data-testid=graph] .node[tabindex="0"]').click();
  await page.locator('[data-testid=details][data-node] .pane-title').waitFor();
  const details = await page.locator('[data-testid=details]').boundingBox();
  assert.ok(details.x >= 0 && details.x + details.width <= 391 && details.y < 844, JSON.stringify(details));
  assert.equal(await page.locator('[data-testid=tab-details]').getAttribute('aria-selected'), 'true');
  await screenshot(page, '15b-phone-details');
  // Trace to here shows the trace form.
  if (await page.locator('[data-testid=trace-to-here]').count()) {
    await page.locator('[data-testid=trace-to-here]').click();
    assert.ok(await page.locator('[data-testid=trace-run]').isVisible());
  }
  await page.locator('[data-testid=tab-manifests]').click();
  assert.ok(await page.locator('[data-testid=editor]').isVisible());
  await page.locator('[data-testid=tab-graph]').click();
  assert.ok(await page.locator('[data-testid=graph]').isVisible());
  // Wide screens have no tabs.
  const wide = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await wide.goto(url);
  await wide.waitForSelector('[data-node-id]', { state: 'attached' });
  assert.equal(await wide.locator('[data-testid=tabs]').isVisible(), false);
  await wide.close();
  assert.deepEqual(errors, []);
  await page.close();
});

test('paste to drawn graph: Online Boutique and the OpenTelemetry demo (figures, not timed assertions)', async () => {
  const { page, errors } = await open(browser, url);
  const boutique = readFileSync(join(corpus, 'online-boutique.yaml'), 'utf8');
  const otel = readFileSync(join(corpus, 'opentelemetry-demo.yaml'), 'utf8');
  // A text unlike the current one first, so each paste is analysed anew.
  await paste(page, 'apiVersion: v1\nkind: Namespace\nmetadata: {name: empty}\n');
  for (const [name, text, drawnWhen] of [['Online Boutique', boutique, '[data-node-id="service:default/frontend"]'], ['OpenTelemetry demo', otel, '[data-node-id^="service:otel-demo/"]']]) {
    const start = await page.evaluate(() => performance.now());
    await page.locator('[data-testid=editor]').evaluate((el, t) => {
      el.value = t;
      el.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
    }, text);
    await page.waitForFunction((sel) => document.querySelector(sel), drawnWhen, { timeout: 30_000, polling: 'raf' });
    const drawn = await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => ok(performance.now()))));
    console.log(`# ${name}: paste to drawn graph ${(drawn - start).toFixed(0)} ms`);
  }
  assert.deepEqual(errors, []);
  await page.close();
});
