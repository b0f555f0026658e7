#!/usr/bin/env node
// `npm run demo`: start moto, seed a secret in the app account, run `dsops exec` on ./dsops.yaml twice
// (cold, then warm from the session cache) and show what reached the child.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { hasMoto, startMoto } = require('./moto-server');

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
    const calls = await (await fetch(`${moto.url}/moto-api/recorder/download-recording`)).text();
    const assumes = calls.split('\n').filter((l) => l.includes('QWN0aW9uPUFzc3VtZVJvbGU') || l.includes('Action=AssumeRole')).length;
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
  const { STSClient, AssumeRoleCommand } = require('@aws-sdk/client-sts');
  const { SecretsManagerClient, CreateSecretCommand } = require('@aws-sdk/client-secrets-manager');
  const base = { region: 'us-east-1', endpoint: url, credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x' } };
  // moto keys state by account: a role session in 222222222222 writes the secret into that account.
  const out = await new STSClient(base).send(
    new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::222222222222:role/DemoSeeder', RoleSessionName: 'seed' }),
  );
  const c = out.Credentials;
  const sm = new SecretsManagerClient({ ...base, credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken } });
  await sm.send(new CreateSecretCommand({ Name: 'demo/database', SecretString: JSON.stringify({ username: 'app', password: 'demo-password-123' }) }));
  await fetch(`${url}/moto-api/recorder/reset-recording`, { method: 'POST' });
  await fetch(`${url}/moto-api/recorder/start-recording`, { method: 'POST' });
}

main().catch((e) => {
  console.error(`demo: ${e.message}`);
  process.exit(1);
});
