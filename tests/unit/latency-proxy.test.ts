/**
 * bench/latency-proxy.js against a fake upstream (no moto): what it forwards, which delay it picks for which
 * request (read from its log, never timed), and its bounded fault injection.
 */
import * as http from 'http';
import { AddressInfo } from 'net';
import { describe as describeRequest, isLoopbackAddress, isLoopbackHost, LatencyProxy, startLatencyProxy } from '../../bench/latency-proxy';

interface Seen {
  method?: string;
  url?: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

let upstream: http.Server;
let upstreamUrl: string;
const seen: Seen[] = [];

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'text/plain', 'x-upstream': 'yes' });
      res.end(`echo:${body}`);
    });
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => upstream.close(r));
});

let proxy: LatencyProxy;
beforeEach(async () => {
  seen.length = 0;
  // Tiny delays: the log says which delay was chosen; nothing here measures time.
  proxy = await startLatencyProxy({ target: upstreamUrl, delayMs: 3, slowMs: 7 });
});
afterEach(async () => {
  await proxy.close();
});

function send(
  p: LatencyProxy,
  opts: { path?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${p.url}${opts.path ?? '/'}`, { method: 'POST', headers: opts.headers, agent: false }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body ?? '');
  });
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
const assumeRole = (roleArn: string) => ({
  headers: FORM,
  body: new URLSearchParams({ Action: 'AssumeRole', Version: '2011-06-15', RoleArn: roleArn, RoleSessionName: 's' }).toString(),
});
const smCall = (action: string, payload: object = {}) => ({
  headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `secretsmanager.${action}` },
  body: JSON.stringify(payload),
});

describe('request classification', () => {
  it('reads the action from X-Amz-Target (JSON protocol) or the form body (query protocol)', () => {
    expect(describeRequest({ 'x-amz-target': 'secretsmanager.BatchGetSecretValue' }, '{}')).toMatchObject({
      protocol: 'json',
      service: 'secretsmanager',
      action: 'BatchGetSecretValue',
    });
    expect(describeRequest({}, 'Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2FSlowOne')).toMatchObject({
      protocol: 'query',
      service: 'sts',
      action: 'AssumeRole',
      roleArn: 'arn:aws:iam::1:role/SlowOne',
    });
  });

  it('knows loopback hosts and addresses', () => {
    expect(['127.0.0.1', 'localhost', '::1', '[::1]', '127.1.2.3'].every(isLoopbackHost)).toBe(true);
    expect(['10.0.0.1', 'example.com', '0.0.0.0'].some(isLoopbackHost)).toBe(false);
    expect(isLoopbackAddress('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopbackAddress('192.168.1.1')).toBe(false);
    expect(isLoopbackAddress(undefined)).toBe(false);
  });
});

describe('forwarding and delays', () => {
  it('forwards method, path, headers and body, and relays the answer', async () => {
    const r = await send(proxy, { path: '/some/path?x=1', ...smCall('GetSecretValue', { SecretId: 'a' }) });
    expect(r.status).toBe(200);
    expect(r.headers['x-upstream']).toBe('yes');
    expect(r.body).toBe('echo:{"SecretId":"a"}');
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/some/path?x=1', body: '{"SecretId":"a"}' });
    expect(seen[0].headers['x-amz-target']).toBe('secretsmanager.GetSecretValue');
  });

  it('delays AssumeRole of a role whose name contains Slow by slowMs, every other request by delayMs, moto-api by nothing', async () => {
    await send(proxy, assumeRole('arn:aws:iam::111111111111:role/SlowBranch'));
    await send(proxy, assumeRole('arn:aws:iam::111111111111:role/Fast'));
    await send(proxy, smCall('GetSecretValue', { SecretId: 'SlowSecret' }));
    await send(proxy, { path: '/moto-api/reset' });
    expect(proxy.log.map((e) => [e.action || e.service, e.delayMs])).toEqual([
      ['AssumeRole', 7],
      ['AssumeRole', 3],
      ['GetSecretValue', 3],
      ['moto-api', 0],
    ]);
    expect(seen).toHaveLength(4);
  });
});

describe('fault injection', () => {
  it('Throttling for the query protocol, at most `times` times, then forwards', async () => {
    proxy.addFault({ kind: 'throttle', action: 'AssumeRole', times: 2 });
    const a = await send(proxy, assumeRole('arn:aws:iam::1:role/R'));
    const b = await send(proxy, assumeRole('arn:aws:iam::1:role/R'));
    const c = await send(proxy, assumeRole('arn:aws:iam::1:role/R'));
    expect([a.status, b.status, c.status]).toEqual([400, 400, 200]);
    expect(a.body).toContain('<Code>Throttling</Code>');
    expect(a.headers['content-type']).toBe('text/xml');
    expect(seen).toHaveLength(1);
    expect(proxy.faults[0]).toMatchObject({ injected: 2, seen: 3 });
  });

  it('AccessDeniedException as a JSON error for one Secrets Manager action only', async () => {
    proxy.addFault({ kind: 'deny', action: 'BatchGetSecretValue' });
    const other = await send(proxy, smCall('GetSecretValue'));
    const denied = await send(proxy, smCall('BatchGetSecretValue', { SecretIdList: ['a', 'b'] }));
    expect(other.status).toBe(200);
    expect(denied.status).toBe(400);
    expect(JSON.parse(denied.body)).toMatchObject({ __type: 'AccessDeniedException' });
    expect(denied.body).toContain('secretsmanager:BatchGetSecretValue');
    expect(proxy.log.map((e) => e.fault)).toEqual([undefined, 'deny']);
  });

  it('5xx, skip and custom codes', async () => {
    proxy.addFault({ kind: 'error5xx', action: '*', skip: 1 });
    proxy.addFault({ kind: 'throttle', action: 'GetSecretValue', code: 'TooManyRequestsException', status: 429 });
    const first = await send(proxy, smCall('ListSecrets')); // skipped by the 5xx rule
    const second = await send(proxy, smCall('ListSecrets')); // 5xx
    const third = await send(proxy, smCall('GetSecretValue')); // custom throttle
    expect(first.status).toBe(200);
    expect(second.status).toBe(503);
    expect(JSON.parse(second.body).__type).toBe('ServiceUnavailableException');
    expect(third.status).toBe(429);
    expect(JSON.parse(third.body).__type).toBe('TooManyRequestsException');
  });

  it('resets the connection', async () => {
    proxy.addFault({ kind: 'reset', action: 'GetSecretValue' });
    await expect(send(proxy, smCall('GetSecretValue'))).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect((await send(proxy, smCall('GetSecretValue'))).status).toBe(200);
  });

  it('hangs: the request is accepted, seen in the log, and never answered until the proxy closes', async () => {
    proxy.addFault({ kind: 'hang', action: 'GetSecretValue' });
    const pending = send(proxy, smCall('GetSecretValue'));
    // Poll the log (bounded) until the proxy has taken the request; nothing here waits on time.
    for (let i = 0; i < 200 && proxy.log.length === 0; i++) await new Promise((r) => setImmediate(r));
    expect(proxy.log.map((e) => e.fault)).toEqual(['hang']);
    expect(seen).toHaveLength(0);
    await proxy.close();
    await expect(pending).rejects.toMatchObject({ code: 'ECONNRESET' });
  });

  it('answers a given status and body verbatim', async () => {
    proxy.addFault({ kind: 'body', action: 'AssumeRole', status: 503, body: '<html>down</html>' });
    const r = await send(proxy, assumeRole('arn:aws:iam::1:role/R'));
    expect(r).toMatchObject({ status: 503, body: '<html>down</html>' });
    expect(r.headers['content-type']).toBe('text/html');
    expect(seen).toHaveLength(0);
  });

  it("truncates the upstream's answer: half its bytes, then the connection ends", async () => {
    proxy.addFault({ kind: 'truncate', action: 'GetSecretValue' });
    const call = smCall('GetSecretValue', { SecretId: 'x'.repeat(40) });
    const got = await new Promise<{ bytes: number; promised: number; ended: boolean }>((resolve) => {
      const req = http.request(proxy.url, { method: 'POST', headers: call.headers, agent: false }, (res) => {
        let bytes = 0;
        let ended = false;
        res.on('data', (c: Buffer) => (bytes += c.length));
        res.on('end', () => (ended = true));
        res.on('close', () => resolve({ bytes, promised: Number(res.headers['content-length']), ended }));
        res.on('error', () => undefined); // the premature close; 'close' reports it
      });
      req.on('error', () => resolve({ bytes: 0, promised: 0, ended: false }));
      req.end(call.body);
    });
    expect(got.ended).toBe(false);
    expect(got.promised).toBe(Buffer.byteLength(`echo:${call.body}`));
    expect(got.bytes).toBe(Math.floor(got.promised / 2));
    expect(seen).toHaveLength(1);
  });

  it("corrupts the upstream's answer: the first match replaced, the length fixed", async () => {
    proxy.addFault({ kind: 'corrupt', action: 'GetSecretValue', find: /"SecretId": ?"/, replace: '"SecretId": ' });
    const r = await send(proxy, smCall('GetSecretValue', { SecretId: 'abc' }));
    expect(r.body).toBe('echo:{"SecretId": abc"}');
    expect(Number(r.headers['content-length'])).toBe(Buffer.byteLength(r.body));
    expect(() => proxy.addFault({ kind: 'corrupt' })).toThrow(/find and replace/);
  });

  it('rejects unbounded or unknown faults, long delays and non-loopback targets', async () => {
    expect(() => proxy.addFault({ kind: 'reset', times: 1_000_000 })).toThrow(/times/);
    expect(() => proxy.addFault({ kind: 'explode' as never })).toThrow(/kind/);
    expect(() => startLatencyProxy({ target: 'http://10.1.2.3:5000' })).toThrow(/loopback/);
    expect(() => startLatencyProxy({ target: 'https://127.0.0.1:5000' })).toThrow(/http/);
    expect(() => startLatencyProxy({ target: upstreamUrl, delayMs: 10 * 60_000 })).toThrow(/delayMs/);
  });

  it('listens on loopback only', () => {
    expect(new URL(proxy.url).hostname).toBe('127.0.0.1');
  });
});
