import fs = require('fs');
import { ResolveError } from '../../errors';

/** STS's limits on WebIdentityToken (botocore: min 4, max 20000). */
export const WEB_IDENTITY_TOKEN_MAX = 20_000;
const WEB_IDENTITY_TOKEN_MIN = 4;

/** Where a web-identity store's token comes from; read only when a call is really made. */
export type TokenSource = { file: string } | { value: () => string | undefined; variable: string };

/**
 * The token, read at call time: Kubernetes and CI runners rotate token files, and a cached session needs
 * no token at all. A missing, empty, oversized or non-regular file is a runtime error naming the store
 * and the file; the token itself is never quoted.
 */
export function readWebIdentityToken(store: string, source: TokenSource): string {
  const fail = (what: string, hint?: string) => new ResolveError(`store ${store}: ${what}`, 'E_WEB_IDENTITY_TOKEN', store, hint);
  let token: string;
  if ('file' in source) {
    token = readTokenFile(source.file, fail);
  } else {
    const v = source.value();
    if (v === undefined || v.trim() === '') {
      throw fail(
        `web_identity_token is empty: \${${source.variable}} is not set`,
        `set ${source.variable} to the OIDC token of this job (in GitHub Actions, request it with id-token: write)`,
      );
    }
    token = v;
  }
  token = token.trim();
  if (token.length < WEB_IDENTITY_TOKEN_MIN) throw fail('the web identity token is empty or too short to be a token');
  if (token.length > WEB_IDENTITY_TOKEN_MAX) throw fail(`the web identity token is longer than STS's ${WEB_IDENTITY_TOKEN_MAX} characters`);
  return token;
}

function readTokenFile(file: string, fail: (what: string, hint?: string) => ResolveError): string {
  let fd: number;
  try {
    // Non-blocking: a FIFO planted at the path must not hang dsops.
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw fail(`web identity token file ${file} not found`, 'check web_identity_token_file; in Kubernetes, the service account token volume must be mounted');
    throw fail(`cannot read web identity token file ${file} (${code})`);
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw fail(`web identity token file ${file} is not a regular file`);
    if (st.size === 0) throw fail(`web identity token file ${file} is empty`, 'the token is written by the platform (Kubernetes, the CI runner); check it has been issued');
    if (st.size > WEB_IDENTITY_TOKEN_MAX * 2) throw fail(`web identity token file ${file} is ${st.size} bytes, too large to be a token`);
    const buf = Buffer.alloc(st.size);
    let got = 0;
    while (got < st.size) {
      const n = fs.readSync(fd, buf, got, st.size - got, got);
      if (n === 0) break;
      got += n;
    }
    return buf.subarray(0, got).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}
