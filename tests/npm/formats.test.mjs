// SARIF (validated against the OASIS 2.1.0 schema), GitHub annotations and JUnit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createRequire } from 'node:module';
import { npx, nativeCli, corpus, fixtures, root } from './helpers.mjs';

const require = createRequire(import.meta.url);
const Ajv = require('ajv-draft-04');
const schema = JSON.parse(readFileSync(join(root, 'tests/schemas/sarif-2.1.0.json'), 'utf8'));
const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(schema);

test('SARIF validates against the schema, with regions, rules and related locations', () => {
  const r = npx(['check', '--format', 'sarif', fixtures]);
  assert.equal(r.code, 1);
  const sarif = JSON.parse(r.stdout);
  assert.ok(validate(sarif), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
  const run = sarif.runs[0];
  assert.equal(run.columnKind, 'unicodeCodePoints');
  const rules = run.tool.driver.rules;
  for (const rule of rules) assert.match(rule.helpUri, /^https:\/\/portolan\.dev\/rules\//);
  const near = run.results.find((x) => x.ruleId === 'selector-matches-nothing');
  assert.equal(rules[near.ruleIndex].id, 'selector-matches-nothing');
  assert.ok(near.relatedLocations?.length >= 1, 'the near miss points at the workload labels');
  const port = run.results.find((x) => x.properties?.field === 'spec.ports[0].name');
  assert.equal(port.properties.errorType, 'Required');
  assert.ok(port.locations[0].physicalLocation.region.startLine > 0);
});

test('SARIF for the whole corpus validates too', () => {
  const sarif = JSON.parse(npx(['check', '--format', 'sarif', corpus]).stdout);
  assert.ok(validate(sarif), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
});

test('GitHub annotations escape data and properties', () => {
  const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: "a,b:c"\nspec:\n  ports:\n  - port: 80\n';
  const r = npx(['check', '--format', 'github', '-'], { input: text });
  assert.equal(r.code, 1);
  const line = r.stdout.trim().split('\n')[0];
  assert.match(line, /^::error file=<stdin>,line=4,col=9,endLine=4,endColumn=16,title=portolan object-metadata::metadata\.name: Invalid value: "a,b:c": /);
  assert.ok(!line.includes('\n'));
});

test('JUnit: a suite per file, a case per object, failures for rejected objects', () => {
  const r = npx(['check', '--format', 'junit', join(fixtures, 'yaml/syntax.yaml')]);
  assert.match(r.stdout, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="portolan" tests="3" failures="1" errors="0">/);
  // An accepted object passes (informational findings go to system-out).
  assert.match(r.stdout, /<testcase name="Service default\/before" classname="[^"]*syntax.yaml"(\/>|>\n\s*<system-out>)/);
  assert.doesNotMatch(r.stdout.split('Service default/before')[1].split('</testcase>')[0], /<failure/);
  assert.match(r.stdout, /<failure message="[^"]*YAML syntax error/);
});

for (const format of ['sarif', 'github', 'junit']) {
  test(`--format ${format}: npm and native print the same bytes over the corpus`, () => {
    const dir = relative(root, corpus);
    const a = npx(['check', '--format', format, dir], { cwd: root });
    const b = nativeCli(['check', '--format', format, dir]);
    assert.equal(a.code, b.code);
    assert.equal(a.stdout, b.stdout);
  });
}
