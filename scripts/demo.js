#!/usr/bin/env node
// `npm run demo`: start moto, seed a secret in the app account, run `dsops exec` on ./dsops.yaml twice
// (cold, then warm from the session cache) and show what reached the child.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { hasMoto, startMoto, recordedCalls, resetRecording, seedSecret } = require('./moto-server');

const root = path.resolve(__dirname, '..');

async function main() {
  if (!hasMoto()) {
    console.error('demo: moto_server not found. Install the local AWS emulator with: pip install "moto[server]"');
    process.exit(1);
  }
  if (!fs.existsSync(path.join(root, 'dist/cli.js'))) spawnSync(process.execPath, [path.join(__dirname, 'build.js')], { stdio: 'inherit' });
  const moto = await startMoto();
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsops-demo-cache-'));
  const env = {
    ...process.env,
    // Long-lived "root" keys for the emulator; dsops turns them into short-lived role sessions.
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL: moto.url,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    DSOPS_CACHE_DIR: cacheDir,
  };
  try {
    await seed(moto.url);
    console.log(`demo: moto_server on ${moto.url}; secret demo/database exists only in account 222222222222\n`);
    const run = (label) => {
      console.log(`$ dsops exec --env demo -v -- node scripts/demo-child.js   # ${label}`);
      // An ambient profile variable the injected session must replace: the child should not see it.
      const r = spawnSync(process.execPath, [path.join(root, 'dist/cli.js'), 'exec', '--env', 'demo', '-v', '--', process.execPath, path.join(__dirname, 'demo-child.js')], {
        cwd: root,
        env: { ...env, AWS_DEFAULT_PROFILE: 'long-lived-profile' },
        stdio: 'inherit',
      });
      console.log(`exit code ${r.status}\n`);
      return r.status;
    };
    const first = run('cold: two AssumeRole hops, one secret read');
    const second = run('warm: both sessions come from the cache, only the secret is read');
    const assumes = (await recordedCalls(moto.url)).filter((c) => c.action === 'AssumeRole').length;
    console.log(`demo: moto served ${assumes} AssumeRole calls over both runs (2 hops, cached after the first run)`);
    console.log(`demo: cached sessions (mode 0600) in ${cacheDir}:`);
    spawnSync(process.execPath, [path.join(root, 'dist/cli.js'), 'cache', 'list'], { cwd: root, env, stdio: 'inherit' });
    process.exitCode = first || second;
  } finally {
    moto.stop();
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
}

async function seed(url) {
  await seedSecret(url, '222222222222', 'demo/database', JSON.stringify({ username: 'app', password: 'demo-password-123' }));
  await resetRecording(url);
}

main().catch((e) => {
  console.error(`demo: ${e.message}`);
  process.exit(1);
});
