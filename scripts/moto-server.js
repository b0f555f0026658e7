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

module.exports = { hasMoto, startMoto, freePort };
