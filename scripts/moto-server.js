// Starts moto_server (the local AWS emulator) on a free loopback port. Shared by the test setup,
// the demo and the benchmarks, so all three start it the same way.
'use strict';
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const http = require('http');
const net = require('net');
const os = require('os');
const path = require('path');

function hasMoto() {
  return spawnSync('sh', ['-c', 'command -v moto_server'], { encoding: 'utf8' }).status === 0;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function ping(url) {
  return new Promise((resolve) => {
    const req = http.get(`${url}/moto-api/`, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('error', () => resolve(false));
    req.setTimeout(1000, () => {
      req.destroy();
      resolve(false);
    });
  });
}

/**
 * Resolves with { url, proc, stop() } once the server answers. Recording is on so calls can be counted.
 * `dir` is where moto keeps its recording file; by default a temp dir that stop() removes.
 */
async function startMoto(dir) {
  const port = await freePort();
  const ownDir = dir === undefined;
  // moto writes its recording file into its working directory; keep it out of the checkout.
  const cwd = dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'dsops-moto-'));
  const proc = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    env: { ...process.env, MOTO_ENABLE_RECORDING: 'True', MOTO_RECORDER_FILEPATH: path.join(cwd, 'moto_recording') },
    cwd,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // Only the tail matters (for a start-up failure); a long-lived server must not grow this forever.
  let stderr = '';
  proc.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const stop = () => {
    proc.kill('SIGTERM');
    if (ownDir) proc.once('exit', () => fs.rmSync(cwd, { recursive: true, force: true }));
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`moto_server exited early: ${stderr.slice(-500)}`);
    if (await ping(url)) return { url, proc, stop };
    await new Promise((r) => setTimeout(r, 150));
  }
  proc.kill();
  throw new Error(`moto_server did not start on ${url}: ${stderr.slice(-500)}`);
}


// Talking to a running moto: the demo and the bench seed it and count what it served.

async function motoPost(url, p) {
  const res = await fetch(`${url}${p}`, { method: 'POST' });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`moto ${p}: HTTP ${res.status}`);
}

async function resetRecording(url) {
  await motoPost(url, '/moto-api/recorder/reset-recording');
  await motoPost(url, '/moto-api/recorder/start-recording');
}

/**
 * Every AWS call moto served since the last recording reset, in order:
 * { action, signedBy (the access key id in the signature), target, params, roleArn, body }.
 */
async function recordedCalls(url) {
  const res = await fetch(`${url}/moto-api/recorder/download-recording`);
  const text = await res.text();
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const r = JSON.parse(l);
      const body = r.body ? (r.body_encoded ? Buffer.from(r.body, 'base64').toString('utf8') : r.body) : '';
      const auth = r.headers.Authorization ?? r.headers.authorization ?? '';
      const target = r.headers['X-Amz-Target'] ?? r.headers['x-amz-target'];
      const params = new URLSearchParams(target ? '' : body);
      return {
        action: target ? target.split('.').pop() : params.get('Action') ?? '',
        signedBy: /Credential=([A-Z0-9]+)\//.exec(auth)?.[1],
        target,
        params,
        roleArn: params.get('RoleArn') ?? undefined,
        body,
      };
    });
}

const ROOT_KEY = 'AKIAIOSFODNN7EXAMPLE';

/** Credentials for a role in `account` (moto maps an assumed role's keys to the account in its ARN). */
async function roleCredentials(motoUrl, account, role = 'Seeder') {
  const { STSClient, AssumeRoleCommand } = require('@aws-sdk/client-sts');
  const sts = new STSClient({ region: 'us-east-1', endpoint: motoUrl, credentials: { accessKeyId: ROOT_KEY, secretAccessKey: 'x' } });
  try {
    const out = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/${role}`, RoleSessionName: 'seed' }));
    const c = out.Credentials;
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
  } finally {
    sts.destroy();
  }
}

/** Creates a secret (a string, or binary bytes) that exists only in `account`. */
async function seedSecret(motoUrl, account, name, value) {
  const { SecretsManagerClient, CreateSecretCommand } = require('@aws-sdk/client-secrets-manager');
  const credentials = await roleCredentials(motoUrl, account);
  const sm = new SecretsManagerClient({ region: 'us-east-1', endpoint: motoUrl, credentials });
  try {
    await sm.send(new CreateSecretCommand(typeof value === 'string' ? { Name: name, SecretString: value } : { Name: name, SecretBinary: value }));
  } finally {
    sm.destroy();
  }
}

module.exports = { hasMoto, startMoto, freePort, motoPost, resetRecording, recordedCalls, roleCredentials, seedSecret, ROOT_KEY };
