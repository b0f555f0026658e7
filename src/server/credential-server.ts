/**
 * The container-credentials endpoint `exec --server` gives its child (AWS_CONTAINER_CREDENTIALS_FULL_URI):
 * every AWS SDK and CLI asks it for credentials when its own are near expiry, so a child can outlive
 * any one session. Bound to 127.0.0.1 only; every request must carry the token, compared in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'crypto';
import http = require('http');
import type { AddressInfo } from 'net';
import type { Credentials } from '../aws/credentials';
import { DsopsError } from '../errors';
import type { Logger } from '../log';

export interface CredentialServer {
  url: string;
  /** AWS_CONTAINER_AUTHORIZATION_TOKEN: 256 random bits. A credential: never log it. */
  token: string;
  close(): Promise<void>;
}

export interface CredentialServerOptions {
  /** The session; concurrent requests are merged into one call here. */
  credentials: () => Promise<Credentials>;
  log: Logger;
}

export const CREDENTIALS_PATH = '/credentials';

export async function startCredentialServer(o: CredentialServerOptions): Promise<CredentialServer> {
  const token = randomBytes(32).toString('hex');
  // Both sides hashed first so the compare takes the same time whatever the length of what was sent.
  const expected = createHash('sha256').update(token).digest();
  const authorized = (header: string | undefined) =>
    header !== undefined && timingSafeEqual(createHash('sha256').update(header).digest(), expected);

  let pending: Promise<Credentials> | undefined;
  const shared = () => (pending ??= o.credentials().finally(() => (pending = undefined)));

  const server = http.createServer((req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    if (!authorized(req.headers.authorization)) {
      o.log.debug(`credential endpoint: refused a request without the right token`);
      return reply(403, { Code: 'Forbidden', Message: 'missing or wrong authorization token' });
    }
    if (req.method !== 'GET' || req.url !== CREDENTIALS_PATH) return reply(404, { Code: 'NotFound', Message: 'GET ' + CREDENTIALS_PATH });
    o.log.debug(`credential endpoint: request${pending ? ' (joins the one in flight)' : ''}`);
    shared().then(
      (c) =>
        reply(200, {
          AccessKeyId: c.accessKeyId,
          SecretAccessKey: c.secretAccessKey,
          Token: c.sessionToken,
          Expiration: c.expiration?.toISOString(),
        }),
      (e: unknown) => {
        const err = e as Partial<DsopsError> & Error;
        const message = err instanceof DsopsError ? err.message : `could not get the session: ${err.name}`;
        const text = err.hint ? `${message} (hint: ${err.hint})` : message;
        // The child's SDK retries; one line per distinct failure is enough.
        o.log.warnOnce(`server:${text}`, `credential endpoint: ${text}`);
        reply(500, { Code: err.code ?? 'E_SESSION', Message: text });
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  o.log.verbose(`credential endpoint listening on 127.0.0.1:${port}`);
  return {
    url: `http://127.0.0.1:${port}${CREDENTIALS_PATH}`,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
