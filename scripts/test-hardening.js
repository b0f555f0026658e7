#!/usr/bin/env node
// `npm run test:hardening`: runs the hardening suites (tests/hardening: fault proxy, config corpus, cache
// files, leak sweep) and prints what they tried. Each suite records its counts via tests/helpers/hardening-report.ts.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const root = path.resolve(__dirname, '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsops-hardening-'));
const jest = require.resolve('jest/bin/jest');
const r = spawnSync(process.execPath, [jest, 'tests/hardening', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, DSOPS_HARDENING_REPORT: dir },
});
const totals = {};
const bySuite = {};
for (const f of fs.readdirSync(dir)) {
  const suite = f.replace(/-\d+\.json$/, '');
  const counts = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
  bySuite[suite] ??= {};
  for (const [k, v] of Object.entries(counts)) {
    totals[k] = (totals[k] ?? 0) + v;
    bySuite[suite][k] = (bySuite[suite][k] ?? 0) + v;
  }
}
fs.rmSync(dir, { recursive: true, force: true });
const show = (c) =>
  [
    ['badInputs', 'bad inputs tried'],
    ['boundaryInputs', 'boundary inputs accepted'],
    ['faults', 'faults injected'],
    ['leakChecks', 'leak checks'],
    ['leaks', 'leaks found'],
  ]
    .filter(([k]) => c[k] !== undefined || k === 'leaks')
    .map(([k, label]) => `${c[k] ?? 0} ${label}`)
    .join(', ');
console.log('\nhardening, by suite:');
for (const [s, c] of Object.entries(bySuite).sort()) console.log(`  ${s}: ${show(c)}`);
console.log(`hardening total: ${show(totals)}`);
process.exit(r.status ?? 1);
