/**
 * describeAwsFailure: what an SDK failure becomes in dsops's message. Errors the SDK parsed from an AWS
 * error body keep their code and message; anything else is named by its HTTP status or its kind, and
 * never quotes the response. The last block drives the real SDK clients against a loopback server, so the
 * shapes assumed here are the SDK's own.
 */
import * as http from 'http';
import { AddressInfo } from 'net';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { clientConfig, RequestTimeoutError, watchAttempts, withDeadline } from '../../src/aws/client-config';
import { describeAwsFailure, describeCallFailure, hintFor } from '../../src/aws/errors';

const SECRET = 'Qz9YQz9Y';

describe('describeAwsFailure', () => {
  it('a corrupt answer: the JSON error quoting the secret is not repeated (issue 9 item 2)', () => {
    const e = Object.assign(new SyntaxError(`Unexpected token 'Q', ..."tString": ${SECRET}"... is not valid JSON`), {
      $metadata: { httpStatusCode: 200 },
    });
    const f = describeAwsFailure(e, 'http://127.0.0.1:1');
    expect(f.code).toBe('InvalidResponse');
    expect(f.detail).toBe('HTTP 200 from http://127.0.0.1:1 that could not be read (SyntaxError); the response is not shown, as it may hold secrets');
    expect(f.detail).not.toContain(SECRET);
  });

  it('a shape check that quotes the value it rejected is not repeated either', () => {
    const e = Object.assign(new TypeError(`Expected string, got number: ${SECRET}`), { $metadata: { httpStatusCode: 200 } });
    expect(describeAwsFailure(e).detail).not.toContain(SECRET);
  });

  it('a 503 with no AWS error is named by its status, not "Unknown: Unknown" (issue 9 item 4)', () => {
    const e = Object.assign(new Error('Unknown'), { name: 'Unknown', $fault: 'server', $metadata: { httpStatusCode: 503 } });
    expect(describeAwsFailure(e, 'https://sts.us-east-1.amazonaws.com')).toEqual({
      code: 'HTTP503',
      detail: 'HTTP 503 from https://sts.us-east-1.amazonaws.com, and the body is not an AWS error (not shown)',
      status: 503,
    });
    expect(hintFor('HTTP503')).toMatch(/failed even after retries/);
  });

  it('an unparsable error body (the JSON parser echoing it) is named by its status', () => {
    const e = Object.assign(new SyntaxError(`Unexpected token '<', "<html>${SECRET}"... is not valid JSON`), { $metadata: { httpStatusCode: 502 } });
    const f = describeAwsFailure(e);
    expect(f.code).toBe('HTTP502');
    expect(f.detail).not.toContain(SECRET);
  });

  it('an AWS error keeps its code and message; a 5xx one also says its status', () => {
    const denied = Object.assign(new Error('User is not authorized'), { name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 } });
    expect(describeAwsFailure(denied)).toMatchObject({ code: 'AccessDenied', detail: 'User is not authorized' });
    const down = Object.assign(new Error('try later'), { name: 'ServiceUnavailable', $fault: 'server', $metadata: { httpStatusCode: 503 } });
    expect(describeAwsFailure(down).detail).toBe('try later (HTTP 503)');
  });

  it('an AWS message is cut to one short line', () => {
    const e = Object.assign(new Error(`a\nb\u0007c${'x'.repeat(1000)}`), { name: 'ValidationError', $fault: 'client', $metadata: {} });
    const { detail } = describeAwsFailure(e);
    expect(detail.startsWith('a b c')).toBe(true);
    expect(detail.length).toBeLessThanOrEqual(301);
  });

  it('a reset is named by its socket code, though the SDK renames it TimeoutError', () => {
    const e = Object.assign(new Error('socket hang up'), { name: 'TimeoutError', code: 'ECONNRESET', $metadata: { attempts: 3 } });
    expect(describeAwsFailure(e, 'http://127.0.0.1:9')).toEqual({ code: 'ECONNRESET', detail: 'connection to http://127.0.0.1:9 failed: socket hang up' });
  });

  it('timeouts, ours or the SDK per-attempt one, name the endpoint and the timeout', () => {
    expect(describeAwsFailure(new RequestTimeoutError(2500), 'http://h:1').detail).toBe(
      'no answer from http://h:1 within 2.5s (request_timeout, retries included)',
    );
    const sdk = Object.assign(new Error('Request did not complete within 1000 ms'), { name: 'TimeoutError' });
    expect(describeAwsFailure(sdk, 'http://h:1', 3000)).toEqual({
      code: 'RequestTimeout',
      detail: 'no answer from http://h:1 within 3s (request_timeout, retries included)',
    });
  });
});

describe('describeCallFailure', () => {
  const throttled = Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $fault: 'client', $metadata: { httpStatusCode: 400 } });

  it('a deadline that ends retries of a throttled call reports the throttling, and the deadline', () => {
    const f = describeCallFailure(new RequestTimeoutError(2000), { endpoint: () => 'http://h:1', lastError: () => throttled }, 'STS in us-east-1', 2000);
    expect(f).toMatchObject({ code: 'Throttling', detail: 'Rate exceeded; still failing when request_timeout (2s, retries included) ran out' });
  });

  it('a deadline after hung attempts is a plain timeout, at the endpoint the attempts went to', () => {
    const hung = Object.assign(new Error('Request did not complete within 667 ms'), { name: 'TimeoutError' });
    const f = describeCallFailure(new RequestTimeoutError(2000), { endpoint: () => 'http://h:1', lastError: () => hung }, 'STS in us-east-1', 2000);
    expect(f).toEqual({ code: 'RequestTimeout', detail: 'no answer from http://h:1 within 2s (request_timeout, retries included)' });
  });

  it('without a request seen, the fallback names the service and region', () => {
    const f = describeCallFailure(new RequestTimeoutError(2000), { endpoint: () => undefined, lastError: () => undefined }, 'STS in us-east-1', 2000);
    expect(f.detail).toBe('no answer from STS in us-east-1 within 2s (request_timeout, retries included)');
  });
});

describe('against the real SDK clients and a loopback server', () => {
  let server: http.Server;
  let url: string;
  let reply: { status: number; type: string; body: string } | 'hang' = 'hang';
  const open = new Set<http.ServerResponse>();

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (reply === 'hang') return void open.add(res);
        res.writeHead(reply.status, { 'content-type': reply.type, 'content-length': Buffer.byteLength(reply.body) });
        res.end(reply.body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' };
  async function failure<T>(send: (signal: AbortSignal) => Promise<T>, timeoutMs = 5000): Promise<unknown> {
    try {
      await withDeadline(timeoutMs, send);
    } catch (e) {
      return e;
    }
    throw new Error('the call succeeded');
  }

  it('GetSecretValue whose SecretString lost its opening quote', async () => {
    reply = { status: 200, type: 'application/x-amz-json-1.1', body: `{"ARN":"a","Name":"n","SecretString": ${SECRET}","VersionId":"v"}` };
    const sm = new SecretsManagerClient(clientConfig({ region: 'us-east-1', credentials, endpoint: url, timeoutMs: 5000 }));
    const e = await failure((abortSignal) => sm.send(new GetSecretValueCommand({ SecretId: 'n' }), { abortSignal }));
    sm.destroy();
    expect(String((e as Error).message)).toContain(SECRET.slice(0, 6)); // what dsops used to print
    const f = describeAwsFailure(e, url);
    expect(f.code).toBe('InvalidResponse');
    expect(JSON.stringify(f)).not.toMatch(/Qz9Y|z9YQ|9YQz|YQz9/);
  });

  it('AssumeRole answered by an HTML 503', async () => {
    reply = { status: 503, type: 'text/html', body: `<html><body>${SECRET}</body></html>` };
    const sts = new STSClient({ ...clientConfig({ region: 'us-east-1', credentials, endpoint: url, timeoutMs: 5000 }), maxAttempts: 1 });
    const e = await failure((abortSignal) => sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/r', RoleSessionName: 's' }), { abortSignal }));
    sts.destroy();
    expect(describeAwsFailure(e, url)).toMatchObject({ code: 'HTTP503', status: 503 });
    expect(JSON.stringify(describeAwsFailure(e, url))).not.toContain(SECRET);
  });

  it('watchAttempts sees each attempt: the endpoint, and the parsed AWS error of the last one', async () => {
    reply = { status: 400, type: 'text/xml', body: '<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>' };
    const sts = new STSClient({ ...clientConfig({ region: 'us-east-1', credentials, endpoint: url, timeoutMs: 5000 }), maxAttempts: 1 });
    const watch = watchAttempts(sts);
    await failure((abortSignal) => sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/r', RoleSessionName: 's' }), { abortSignal }));
    sts.destroy();
    expect(watch.endpoint()).toBe(url);
    expect(describeAwsFailure(watch.lastError())).toMatchObject({ code: 'Throttling', detail: 'Rate exceeded' });
  });

  it('a server that never answers: the per-attempt timeout ends each attempt, the deadline ends the call', async () => {
    reply = 'hang';
    const sts = new STSClient(clientConfig({ region: 'us-east-1', credentials, endpoint: url, timeoutMs: 300 }));
    const e = await failure((abortSignal) => sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/r', RoleSessionName: 's' }), { abortSignal }), 300);
    sts.destroy();
    expect(describeAwsFailure(e, url, 300)).toMatchObject({ code: 'RequestTimeout', detail: `no answer from ${url} within 300ms (request_timeout, retries included)` });
    for (const res of open) res.destroy();
  });
});
