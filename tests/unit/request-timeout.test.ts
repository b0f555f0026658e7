/**
 * request_timeout: where a store's bound comes from (store, top level, DSOPS_REQUEST_TIMEOUT, default), how
 * it is split over the SDK's attempts, and the deadline that bounds a call whatever the SDK does.
 */
import { ConfigError, makeScope, parseConfig, prepareAll, StoreSpec } from '../../src/index';
import {
  DEFAULT_REQUEST_TIMEOUT_MS,
  envTimeoutProblem,
  formatTimeout,
  MAX_ATTEMPTS,
  parseTimeout,
  requestHandlerOptions,
  requestTimeoutMs,
  RequestTimeoutError,
  withDeadline,
} from '../../src/aws/client-config';

function stores(yaml: string): Map<string, StoreSpec> {
  const [env] = prepareAll(parseConfig(yaml, 'dsops.yaml'), makeScope({ USER: 'tester' }, new Date(0)));
  return env.stores;
}

const CONFIG = (top: string) => `version: 1
${top}
secretStores:
  sts:
    type: aws.sts
    role_arn: arn:aws:iam::123456789012:role/R
    request_timeout: 1500ms
  sm:
    type: aws.secretsmanager
    credentials_from: sts
envs:
  e:
    A: { from: { store: sts, key: AccessKeyId } }
    B: { from: { store: sm, key: x } }
`;

describe('request_timeout in the config', () => {
  it('a store sets its own; the others take the top level', () => {
    const s = stores(CONFIG('request_timeout: 2m'));
    expect(s.get('sts')!.requestTimeoutMs).toBe(1500);
    expect(s.get('sm')!.requestTimeoutMs).toBe(120_000);
  });

  it('unset at the top level leaves the rest to the environment and the default', () => {
    expect(stores(CONFIG('')).get('sm')!.requestTimeoutMs).toBeUndefined();
  });

  it.each(['0s', '10', '5h', 'soon', '1.5s'])('"%s" is a located config problem', (bad) => {
    const text = CONFIG(`request_timeout: ${bad}`);
    let issues: ConfigError['issues'] = [];
    try {
      stores(text);
    } catch (e) {
      issues = (e as ConfigError).issues;
    }
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path: ['request_timeout'], loc: { file: 'dsops.yaml', line: 2, col: 18 } });
  });
});

describe('timeout helpers', () => {
  it('parses ms, s and m; a bare number only for the env var (seconds); clamps at an hour', () => {
    expect(parseTimeout('500ms')).toBe(500);
    expect(parseTimeout('10s')).toBe(10_000);
    expect(parseTimeout('2m')).toBe(120_000);
    expect(parseTimeout('10')).toBeUndefined();
    expect(parseTimeout('10', true)).toBe(10_000);
    expect(parseTimeout('0s')).toBeUndefined();
    expect(parseTimeout('600m')).toBe(3_600_000);
    expect(parseTimeout('9'.repeat(400) + 's')).toBe(3_600_000);
  });

  it('store or top level, else DSOPS_REQUEST_TIMEOUT, else the default; a bad env value warns', () => {
    expect(requestTimeoutMs(1500, { DSOPS_REQUEST_TIMEOUT: '9s' })).toBe(1500);
    expect(requestTimeoutMs(undefined, { DSOPS_REQUEST_TIMEOUT: '9s' })).toBe(9000);
    expect(requestTimeoutMs(undefined, { DSOPS_REQUEST_TIMEOUT: 'soon' })).toBe(DEFAULT_REQUEST_TIMEOUT_MS);
    expect(requestTimeoutMs(undefined, {})).toBe(DEFAULT_REQUEST_TIMEOUT_MS);
    expect(envTimeoutProblem({ DSOPS_REQUEST_TIMEOUT: 'soon' })).toBe('DSOPS_REQUEST_TIMEOUT=soon is not a timeout (e.g. 10s, 500ms, 2m); using 30s');
    expect(envTimeoutProblem({ DSOPS_REQUEST_TIMEOUT: '5' })).toBeUndefined();
    expect(envTimeoutProblem({})).toBeUndefined();
  });

  it('each attempt gets an equal share, and the handler throws instead of warning', () => {
    expect(MAX_ATTEMPTS).toBe(3);
    expect(requestHandlerOptions(30_000)).toEqual({ connectionTimeout: 10_000, requestTimeout: 10_000, throwOnRequestTimeout: true });
    expect(requestHandlerOptions(1000).requestTimeout).toBe(334);
  });

  it('formats as configured', () => {
    expect([500, 1000, 1500, 90_000, 120_000].map(formatTimeout)).toEqual(['500ms', '1s', '1.5s', '90s', '2m']);
  });
});

describe('withDeadline', () => {
  it('returns what the work returns', async () => {
    await expect(withDeadline(1000, async () => 'ok')).resolves.toBe('ok');
  });

  it('rejects with RequestTimeoutError and aborts the signal when the work never settles', async () => {
    let signal: AbortSignal | undefined;
    const never = withDeadline(5, (s) => {
      signal = s;
      return new Promise<never>(() => undefined);
    });
    await expect(never).rejects.toBeInstanceOf(RequestTimeoutError);
    await expect(never).rejects.toMatchObject({ timeoutMs: 5 });
    expect(signal!.aborted).toBe(true);
  });

  it('passes the work failure through untouched', async () => {
    await expect(withDeadline(1000, async () => Promise.reject(new Error('denied')))).rejects.toThrow('denied');
  });
});
