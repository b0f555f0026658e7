/**
 * The loopback credential endpoint on its own, with the session injected: the token check, the
 * container-credentials shape, one refresh for concurrent requests, failures answered and logged once.
 */
import * as net from 'net';
import type { Credentials } from '../../src/aws/credentials';
import { ResolveError } from '../../src/errors';
import { Logger } from '../../src/log';
import { pollUntil } from '../helpers/poll';
import { startCredentialServer, CredentialServer } from '../../src/server/credential-server';

const CREDS: Credentials = {
  accessKeyId: 'ASIAEXAMPLEKEY000001',
  secretAccessKey: 'secret-example',
  sessionToken: 'token-example',
  expiration: new Date('2030-01-01T00:00:00.000Z'),
};

function setup(credentials: () => Promise<Credentials>, level: 'normal' | 'debug' = 'normal') {
  const lines: string[] = [];
  const log = new Logger(level, (l) => lines.push(l), { NO_COLOR: '1' }, () => false);
  return { lines, start: () => startCredentialServer({ credentials, log }) };
}

const get = async (s: CredentialServer, token?: string) => {
  const res = await fetch(s.url, { headers: token === undefined ? {} : { authorization: token } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('credential endpoint', () => {
  let server: CredentialServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('answers the token-holder in the container-credentials format', async () => {
    server = await setup(async () => CREDS).start();
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/credentials$/);
    expect(server.token).toMatch(/^[0-9a-f]{64}$/);
    expect(await get(server, server.token)).toEqual({
      status: 200,
      body: { AccessKeyId: CREDS.accessKeyId, SecretAccessKey: CREDS.secretAccessKey, Token: CREDS.sessionToken, Expiration: '2030-01-01T00:00:00.000Z' },
    });
  });

  it.each([
    ['no token', undefined],
    ['a wrong token of the same length', '0'.repeat(64)],
    ['a prefix of the token', 'PREFIX'],
    ['the token with more after it', 'SUFFIX'],
  ])('refuses %s with 403 and never asks for the session', async (_what, token) => {
    const session = jest.fn(async () => CREDS);
    server = await setup(session).start();
    const sent = token === 'PREFIX' ? server.token.slice(0, 10) : token === 'SUFFIX' ? server.token + 'x' : token;
    const r = await get(server, sent);
    expect(r.status).toBe(403);
    expect(JSON.stringify(r.body)).not.toContain(CREDS.accessKeyId);
    expect(session).not.toHaveBeenCalled();
  });

  it('concurrent requests share one call for the session; a later request makes a new one', async () => {
    let release!: (c: Credentials) => void;
    const session = jest.fn(() => new Promise<Credentials>((r) => (release = r)));
    const { lines, start } = setup(session, 'debug');
    server = await start();
    const s = server;
    const all = Promise.all([1, 2, 3].map(() => get(s, s.token)));
    // Released only once all three requests are in the server, so all three find the first one in flight.
    await pollUntil('three requests', () => lines.filter((l) => l.includes('credential endpoint: request')).length === 3, { attempts: 1000 });
    release(CREDS);
    expect((await all).map((x) => x.status)).toEqual([200, 200, 200]);
    expect(session).toHaveBeenCalledTimes(1);
    const later = get(s, s.token);
    await pollUntil('the later request', () => session.mock.calls.length === 2, { attempts: 1000 });
    release(CREDS);
    expect((await later).status).toBe(200);
  });

  it('a failed session is a 500 with the message, code and hint, logged once however often it is asked', async () => {
    const err = new ResolveError('store target: AssumeRole failed: AccessDenied', 'E_STS', 'target', 'check the trust policy', 'AccessDenied');
    const { lines, start } = setup(async () => Promise.reject(err));
    server = await start();
    const r1 = await get(server, server.token);
    const r2 = await get(server, server.token);
    expect(r1).toEqual({ status: 500, body: { Code: 'E_STS', Message: 'store target: AssumeRole failed: AccessDenied (hint: check the trust policy)' } });
    expect(r2.status).toBe(500);
    expect(lines).toEqual(['dsops: warning: credential endpoint: store target: AssumeRole failed: AccessDenied (hint: check the trust policy)']);
  });

  it('an unexpected error is answered without its message (it could hold anything)', async () => {
    const { lines, start } = setup(async () => Promise.reject(new TypeError('secret-example leaked')));
    server = await start();
    const r = await get(server, server.token);
    expect(r.status).toBe(500);
    expect(JSON.stringify(r.body) + lines.join('\n')).not.toContain('secret-example');
  });

  it('close frees the port, even with a keep-alive connection open', async () => {
    const s = await setup(async () => CREDS).start();
    await get(s, s.token); // fetch keeps its connection alive
    await s.close();
    const port = Number(new URL(s.url).port);
    const code = await new Promise<string>((resolve) => {
      const c = net.connect(port, '127.0.0.1');
      c.on('connect', () => (c.destroy(), resolve('connected')));
      c.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    });
    expect(code).toBe('ECONNREFUSED');
  });
});
