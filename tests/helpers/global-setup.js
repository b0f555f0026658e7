// Starts one moto_server per jest worker on a free loopback port. Tests reset their own server
// between cases, so workers never see each other's state.
'use strict';
const { spawn, spawnSync } = require('child_process');
const net = require('net');
const http = require('http');
const fs = require('fs');
const os = require('os');
const path = require('path');

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
      resolve(res.statusCode !== undefined);
    });
    req.on('error', () => resolve(false));
    req.setTimeout(1000, () => {
      req.destroy();
      resolve(false);
    });
  });
}

async function startMoto() {
  const port = await freePort();
  const proc = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    // moto writes its recording file into its working directory; keep it out of the checkout.
    cwd: fs.mkdtempSync(path.join(os.tmpdir(), 'dsops-moto-')),
    env: { ...process.env, MOTO_ENABLE_RECORDING: 'True' },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: false,
  });
  let stderr = '';
  proc.stderr.on('data', (d) => (stderr += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`moto_server exited early: ${stderr.slice(-500)}`);
    if (await ping(url)) return { url, proc };
    await new Promise((r) => setTimeout(r, 150));
  }
  proc.kill();
  throw new Error(`moto_server did not start on ${url}: ${stderr.slice(-500)}`);
}

module.exports = async function globalSetup(globalConfig) {
  const has = spawnSync('sh', ['-c', 'command -v moto_server'], { encoding: 'utf8' }).status === 0;
  if (!has) {
    const msg = [
      '',
      '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
      '!! moto_server not found: integration and e2e suites against the AWS   !!',
      '!! protocol are SKIPPED. Install it with: pip install "moto[server]"    !!',
      '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
      '',
    ].join('\n');
    if (process.env.CI === 'true') throw new Error('moto_server is required when CI=true (pip install "moto[server]")' + msg);
    process.stderr.write(msg + '\n');
    process.env.DSOPS_TEST_MOTO_URLS = '';
    return;
  }
  const n = Math.max(1, Number(globalConfig.maxWorkers) || 1);
  const servers = await Promise.all(Array.from({ length: n }, startMoto));
  globalThis.__MOTO_SERVERS__ = servers;
  process.env.DSOPS_TEST_MOTO_URLS = servers.map((s) => s.url).join(',');
};
