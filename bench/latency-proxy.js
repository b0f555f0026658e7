#!/usr/bin/env node
/**
 * A loopback HTTP proxy in front of moto_server that makes it behave like a distant AWS:
 *
 *   - every AWS request waits `delayMs` (100 ms) before it is forwarded, or `slowMs` (500 ms) instead for an STS
 *     AssumeRole whose RoleArn contains `slowPattern` ("Slow"). Secrets Manager requests always get `delayMs`.
 *     moto's own API (/moto-api/...) is never delayed or faulted.
 *   - optional, bounded fault injection, for requests of one action (e.g. AssumeRole, BatchGetSecretValue) or of
 *     any action ("*"), each rule at most `times` times:
 *       throttle, deny, error5xx   an AWS error reply (Throttling, AccessDenied, 503 ServiceUnavailable)
 *       reset                      the connection is destroyed without an answer
 *       hang                       the request is accepted and never answered (until the proxy closes)
 *       body                       `status` (200) with `body` verbatim, e.g. an HTML 503 or garbage
 *       truncate                   moto's answer, cut after half its bytes, the connection then destroyed
 *       corrupt                    moto's answer with its first match of `find` (string or RegExp) replaced by `replace`
 *
 * Loopback only: it listens on 127.0.0.1, refuses connections from anywhere else, and refuses an upstream that is
 * not a loopback address. Node's http module only.
 *
 * Library:  const p = await startLatencyProxy({ target: 'http://127.0.0.1:5000' }); p.url; p.log; await p.close();
 * CLI:      node bench/latency-proxy.js --target http://127.0.0.1:5000 [--port 0] [--delay 100] [--slow 500]
 *             [--slow-pattern Slow] [--throttle ACTION[:N]] [--deny ACTION[:N]] [--error5xx ACTION[:N]] [--reset ACTION[:N]]
 *           prints "listening http://127.0.0.1:PORT" on stdout.
 */
'use strict';
const http = require('http');

const MAX_TIMES = 1000; // upper bound on injections per rule
const MAX_LOG = 10000; // upper bound on remembered requests
const MAX_BODY = 10 * 1024 * 1024;
const MAX_DELAY = 60_000;

function isLoopbackHost(host) {
  const h = host.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

function isLoopbackAddress(addr) {
  if (!addr) return false;
  return addr === '::1' || /^(::ffff:)?127\.\d+\.\d+\.\d+$/.test(addr);
}

/** What an AWS request is: JSON protocol (X-Amz-Target) or query protocol (form body with Action=). */
function describe(headers, body) {
  const target = headers['x-amz-target'];
  if (target) {
    const dot = target.lastIndexOf('.');
    return { protocol: 'json', service: target.slice(0, dot).toLowerCase(), action: target.slice(dot + 1), target };
  }
  const params = new URLSearchParams(body);
  const action = params.get('Action') ?? '';
  return { protocol: 'query', service: /^(AssumeRole|GetSessionToken|GetCallerIdentity|GetFederationToken)/.test(action) ? 'sts' : 'query', action, roleArn: params.get('RoleArn') ?? undefined };
}

function checkDelay(n, name) {
  if (!Number.isFinite(n) || n < 0 || n > MAX_DELAY) throw new Error(`${name} must be 0..${MAX_DELAY} ms`);
  return n;
}

/** A fault rule: `kind` for requests whose action is `action` ("*" = any), at most `times` times, after letting `skip` through. */
function normaliseRule(rule) {
  const kinds = ['throttle', 'deny', 'error5xx', 'reset', 'hang', 'body', 'truncate', 'corrupt'];
  if (!kinds.includes(rule.kind)) throw new Error(`fault kind must be one of ${kinds.join(', ')}`);
  const times = rule.times ?? 1;
  if (!Number.isInteger(times) || times < 1 || times > MAX_TIMES) throw new Error(`fault times must be 1..${MAX_TIMES}`);
  if (rule.kind === 'corrupt' && (rule.find === undefined || rule.replace === undefined)) throw new Error('a corrupt fault needs find and replace');
  return {
    kind: rule.kind,
    action: rule.action ?? '*',
    times,
    skip: rule.skip ?? 0,
    status: rule.status,
    code: rule.code,
    message: rule.message,
    body: rule.body,
    contentType: rule.contentType,
    find: rule.find,
    replace: rule.replace,
    injected: 0,
    seen: 0,
  };
}

function errorReply(req, what, rule) {
  const defaults = {
    throttle: { status: 400, code: what.protocol === 'json' ? 'ThrottlingException' : 'Throttling', message: 'Rate exceeded' },
    deny: {
      status: 400,
      code: what.protocol === 'json' ? 'AccessDeniedException' : 'AccessDenied',
      message: `User is not authorized to perform: ${what.service}:${what.action} (injected by latency-proxy)`,
    },
    error5xx: { status: 503, code: what.protocol === 'json' ? 'ServiceUnavailableException' : 'ServiceUnavailable', message: 'Service unavailable (injected by latency-proxy)' },
  }[rule.kind];
  const status = rule.status ?? defaults.status;
  const code = rule.code ?? defaults.code;
  const message = rule.message ?? defaults.message;
  const requestId = `latency-proxy-${Date.now().toString(36)}`;
  if (what.protocol === 'json') {
    return { status, headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId }, body: JSON.stringify({ __type: code, message }) };
  }
  const type = status >= 500 ? 'Receiver' : 'Sender';
  const esc = (s) => String(s).replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]);
  return {
    status,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body: `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>${type}</Type><Code>${esc(code)}</Code><Message>${esc(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
  };
}

/**
 * Starts the proxy. Options: target (required, loopback URL), port (0 = free), delayMs (100), slowMs (500),
 * slowPattern ("Slow"), faults ([{ kind, action, times, skip, status, code, message }]).
 * Resolves to { url, port, log, faults, addFault, clearFaults, clearLog, close }; throws at once on bad options.
 */
function startLatencyProxy(options) {
  const upstream = new URL(options.target);
  if (upstream.protocol !== 'http:') throw new Error('latency-proxy: target must be an http:// URL');
  if (!isLoopbackHost(upstream.hostname)) throw new Error(`latency-proxy: target ${upstream.hostname} is not a loopback address`);
  const delayMs = checkDelay(options.delayMs ?? 100, 'delayMs');
  const slowMs = checkDelay(options.slowMs ?? 500, 'slowMs');
  const slowPattern = options.slowPattern ?? 'Slow';
  let faults = (options.faults ?? []).map(normaliseRule);
  const log = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const timers = new Set();

  const sleep = (ms) =>
    new Promise((resolve) => {
      if (ms <= 0) return resolve();
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  const server = http.createServer((req, res) => {
    if (!isLoopbackAddress(req.socket.remoteAddress)) {
      req.socket.destroy();
      return;
    }
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > MAX_BODY) {
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const isMotoApi = (req.url ?? '').startsWith('/moto-api');
      const what = isMotoApi ? { protocol: 'moto', service: 'moto-api', action: '' } : describe(req.headers, body.toString('utf8'));
      const slow = what.action === 'AssumeRole' && what.roleArn !== undefined && what.roleArn.includes(slowPattern);
      const wait = isMotoApi ? 0 : slow ? slowMs : delayMs;
      let fault;
      if (!isMotoApi) {
        for (const rule of faults) {
          if (rule.action !== '*' && rule.action !== what.action) continue;
          rule.seen++;
          if (rule.seen <= rule.skip || rule.injected >= rule.times) continue;
          rule.injected++;
          fault = rule;
          break;
        }
      }
      const entry = { at: Date.now(), method: req.method, path: req.url, service: what.service, action: what.action, roleArn: what.roleArn, delayMs: wait, fault: fault?.kind };
      if (log.length < MAX_LOG) log.push(entry);
      await sleep(wait);
      if (fault?.kind === 'reset') {
        req.socket.destroy();
        return;
      }
      if (fault?.kind === 'hang') return; // closeAllConnections() ends it when the proxy closes
      if (fault?.kind === 'body') {
        const text = fault.body ?? '';
        res.writeHead(fault.status ?? 200, { 'content-type': fault.contentType ?? 'text/html', 'content-length': Buffer.byteLength(text) });
        res.end(text);
        return;
      }
      if (fault && fault.kind !== 'truncate' && fault.kind !== 'corrupt') {
        const r = errorReply(req, what, fault);
        res.writeHead(r.status, { ...r.headers, 'content-length': Buffer.byteLength(r.body) });
        res.end(r.body);
        return;
      }
      const headers = { ...req.headers };
      const up = http.request(
        { protocol: upstream.protocol, hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent },
        (upRes) => {
          if (fault?.kind === 'truncate' || fault?.kind === 'corrupt') return damage(fault, upRes, res);
          res.writeHead(upRes.statusCode ?? 502, upRes.headers);
          upRes.pipe(res);
        },
      );
      up.on('error', (e) => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`latency-proxy: upstream error: ${e.message}`);
      });
      up.end(body);
    });
  });

  /** Reads moto's whole answer, then sends it cut short or with one match replaced. */
  function damage(rule, upRes, res) {
    const chunks = [];
    upRes.on('data', (c) => chunks.push(c));
    upRes.on('end', () => {
      const body = Buffer.concat(chunks);
      const headers = { ...upRes.headers };
      delete headers['transfer-encoding'];
      if (rule.kind === 'truncate') {
        // The promised length is kept, so the client sees the connection end mid-body.
        res.writeHead(upRes.statusCode ?? 200, { ...headers, 'content-length': body.length });
        res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.socket?.destroy());
        return;
      }
      const text = body.toString('utf8').replace(rule.find, rule.replace);
      res.writeHead(upRes.statusCode ?? 200, { ...headers, 'content-length': Buffer.byteLength(text) });
      res.end(text);
    });
  }

  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        url: `http://127.0.0.1:${port}`,
        port,
        /** Every request seen (bounded): { method, path, service, action, roleArn, delayMs, fault }. */
        log,
        get faults() {
          return faults;
        },
        addFault(rule) {
          const r = normaliseRule(rule);
          faults.push(r);
          return r;
        },
        clearFaults() {
          faults = [];
        },
        clearLog() {
          log.length = 0;
        },
        close() {
          for (const t of timers) clearTimeout(t);
          timers.clear();
          agent.destroy();
          return new Promise((r) => {
            server.close(() => r());
            server.closeAllConnections?.();
          });
        },
      });
    });
  });
}

function parseArgs(argv) {
  const o = { faults: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    const fault = (kind) => {
      const [action, n] = val().split(':');
      o.faults.push({ kind, action: action || '*', times: n === undefined ? 1 : Number(n) });
    };
    switch (a) {
      case '--target':
        o.target = val();
        break;
      case '--port':
        o.port = Number(val());
        break;
      case '--delay':
        o.delayMs = Number(val());
        break;
      case '--slow':
        o.slowMs = Number(val());
        break;
      case '--slow-pattern':
        o.slowPattern = val();
        break;
      case '--throttle':
        fault('throttle');
        break;
      case '--deny':
        fault('deny');
        break;
      case '--error5xx':
        fault('error5xx');
        break;
      case '--reset':
        fault('reset');
        break;
      case '-h':
      case '--help':
        o.help = true;
        break;
      default:
        throw new Error(`unknown option ${a}`);
    }
  }
  return o;
}

if (require.main === module) {
  let o;
  try {
    o = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`latency-proxy: ${e.message}\n`);
    process.exit(2);
  }
  if (o.help || !o.target) {
    process.stdout.write(
      'Usage: node bench/latency-proxy.js --target http://127.0.0.1:PORT [--port 0] [--delay 100] [--slow 500] [--slow-pattern Slow]\n' +
        '         [--throttle ACTION[:N]] [--deny ACTION[:N]] [--error5xx ACTION[:N]] [--reset ACTION[:N]]   (ACTION may be *)\n',
    );
    process.exit(o.help ? 0 : 2);
  }
  new Promise((resolve) => resolve(startLatencyProxy(o))).then(
    (p) => {
      process.stdout.write(`listening ${p.url}\n`);
      const stop = () => p.close().then(() => process.exit(0));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    },
    (e) => {
      process.stderr.write(`latency-proxy: ${e.message}\n`);
      process.exit(1);
    },
  );
}

module.exports = { startLatencyProxy, describe, isLoopbackHost, isLoopbackAddress };
