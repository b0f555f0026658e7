/**
 * Call counts against moto (issue 4, item 3). These count AWS calls, never time: one STS call per distinct
 * session, BatchGetSecretValue for two or more secrets of a store (20 a call), one read per secret whatever
 * the number of `#field`s, and the fallbacks when Batch is denied or a call is throttled. Denials and
 * throttling come from bench/latency-proxy.js (moto never denies), with its delays set to 0.
 */
import { parseConfig, resolveEnv } from '../../src';
import { startLatencyProxy, LatencyProxy } from '../../bench/latency-proxy';
import { awsEnv, callsOf, describeMoto, motoUrl, recordedCalls, resetMoto, resetRecording, seedSecret } from '../helpers/moto';

const ACCOUNT = '222222222222';

/** A config with a root role, the given extra stores, an SM store reading as `reader` (a role in ACCOUNT), and one env. */
function config(vars: Record<string, string>, extraStores = ''): string {
  const envLines = Object.entries(vars).map(([name, from]) => `    ${name}: ${from}`);
  return `version: 1
secretStores:
  root:
    type: aws.sts
    role_arn: arn:aws:iam::111111111111:role/Root
  reader:
    type: aws.sts
    role_arn: arn:aws:iam::${ACCOUNT}:role/Reader
    credentials_from: root
  sm:
    type: aws.secretsmanager
    credentials_from: reader
${extraStores}envs:
  e:
${envLines.join('\n')}
`;
}

const secretVar = (key: string) => `{ from: { store: sm, key: "${key}" } }`;

async function resolve(yaml: string, env: Record<string, string> = awsEnv()) {
  return (await resolveEnv(parseConfig(yaml, 'dsops.yaml'), 'e', { env })).values;
}

describeMoto('AWS call counts (moto recorder)', () => {
  beforeEach(resetMoto);

  describe('STS: one call per distinct session', () => {
    it('two stores with identical session parameters and the same source share one AssumeRole', async () => {
      const yaml = config(
        {
          A_KEY: '{ from: { store: a, key: AccessKeyId } }',
          B_KEY: '{ from: { store: b, key: AccessKeyId } }',
          TOP1: '{ from: { store: top1, key: AccessKeyId } }',
          TOP2: '{ from: { store: top2, key: AccessKeyId } }',
          OTHER: '{ from: { store: other, key: AccessKeyId } }',
        },
        `  a:
    type: aws.sts
    role_arn: arn:aws:iam::333333333333:role/Shared
    credentials_from: root
  b:
    type: aws.sts
    role_arn: arn:aws:iam::333333333333:role/Shared
    credentials_from: root
  top1:
    type: aws.sts
    role_arn: arn:aws:iam::444444444444:role/Top
  top2:
    type: aws.sts
    role_arn: arn:aws:iam::444444444444:role/Top
  other:
    type: aws.sts
    role_arn: arn:aws:iam::333333333333:role/Shared
    role_session_name: another-session
    credentials_from: root
`,
      );
      const values = await resolve(yaml);
      const byRole = new Map<string, number>();
      for (const c of await callsOf('AssumeRole')) {
        const key = `${c.params.get('RoleArn')} ${c.params.get('RoleSessionName') === 'another-session' ? 'another-session' : ''}`.trim();
        byRole.set(key, (byRole.get(key) ?? 0) + 1);
      }
      expect(Object.fromEntries(byRole)).toEqual({
        'arn:aws:iam::111111111111:role/Root': 1,
        'arn:aws:iam::333333333333:role/Shared': 1, // a and b: same parameters, same source
        'arn:aws:iam::444444444444:role/Top': 1, // top1 and top2: same parameters, both from the root keys
        'arn:aws:iam::333333333333:role/Shared another-session': 1, // a different session name is a different session
      });
      expect(values.A_KEY).toBe(values.B_KEY);
      expect(values.TOP1).toBe(values.TOP2);
      expect(values.OTHER).not.toBe(values.A_KEY);
    });

    it('the same role from different sources is two sessions', async () => {
      const yaml = config(
        {
          X: '{ from: { store: x, key: AccessKeyId } }',
          Y: '{ from: { store: y, key: AccessKeyId } }',
        },
        `  x:
    type: aws.sts
    role_arn: arn:aws:iam::333333333333:role/Target
    credentials_from: root
  y:
    type: aws.sts
    role_arn: arn:aws:iam::333333333333:role/Target
    credentials_from: reader
`,
      );
      const values = await resolve(yaml);
      const targets = (await callsOf('AssumeRole')).filter((c) => c.params.get('RoleArn')!.endsWith('role/Target'));
      expect(targets).toHaveLength(2);
      expect(values.X).not.toBe(values.Y);
    });
  });

  describe('Secrets Manager', () => {
    it('two distinct secrets of one store: one BatchGetSecretValue, no GetSecretValue', async () => {
      await seedSecret(ACCOUNT, 'app/one', 'v1');
      await seedSecret(ACCOUNT, 'app/two', 'v2');
      await resetRecording();
      const values = await resolve(config({ ONE: secretVar('app/one'), TWO: secretVar('app/two') }));
      expect(values).toEqual({ ONE: 'v1', TWO: 'v2' });
      const batch = await callsOf('BatchGetSecretValue');
      expect(batch).toHaveLength(1);
      expect(JSON.parse(batch[0].body).SecretIdList.sort()).toEqual(['app/one', 'app/two']);
      expect(await callsOf('GetSecretValue')).toHaveLength(0);
    });

    it('25 secrets: two BatchGetSecretValue calls (20 + 5)', async () => {
      const vars: Record<string, string> = {};
      for (let i = 0; i < 25; i++) {
        await seedSecret(ACCOUNT, `bulk/s${i}`, `value-${i}`);
        vars[`S${i}`] = secretVar(`bulk/s${i}`);
      }
      await resetRecording();
      const values = await resolve(config(vars));
      for (let i = 0; i < 25; i++) expect(values[`S${i}`]).toBe(`value-${i}`);
      const batch = await callsOf('BatchGetSecretValue');
      expect(batch.map((c) => (JSON.parse(c.body).SecretIdList as string[]).length).sort((a, b) => a - b)).toEqual([5, 20]);
      const asked = batch.flatMap((c) => JSON.parse(c.body).SecretIdList as string[]);
      expect(new Set(asked).size).toBe(25);
      expect(await callsOf('GetSecretValue')).toHaveLength(0);
    });

    it('several #fields of one secret: one read', async () => {
      await seedSecret(ACCOUNT, 'app/db', JSON.stringify({ user: 'u', password: 'p', conn: { host: 'h', port: 5432 } }));
      await resetRecording();
      const values = await resolve(
        config({
          USER: secretVar('app/db#user'),
          PASS: secretVar('app/db#password'),
          HOST: secretVar('app/db#conn.host'),
          PORT: secretVar('app/db#conn.port'),
          WHOLE: secretVar('app/db'),
        }),
      );
      expect(values).toMatchObject({ USER: 'u', PASS: 'p', HOST: 'h', PORT: '5432' });
      expect(JSON.parse(values.WHOLE)).toMatchObject({ user: 'u' });
      expect(await callsOf('GetSecretValue')).toHaveLength(1);
      expect(await callsOf('BatchGetSecretValue')).toHaveLength(0);
    });

    it('fields of two secrets: one Batch for both, however many fields', async () => {
      await seedSecret(ACCOUNT, 'app/a', JSON.stringify({ x: '1', y: '2' }));
      await seedSecret(ACCOUNT, 'app/b', JSON.stringify({ x: '3', y: '4' }));
      await resetRecording();
      const values = await resolve(
        config({ AX: secretVar('app/a#x'), AY: secretVar('app/a#y'), BX: secretVar('app/b#x'), BY: secretVar('app/b#y') }),
      );
      expect(values).toEqual({ AX: '1', AY: '2', BX: '3', BY: '4' });
      const batch = await callsOf('BatchGetSecretValue');
      expect(batch).toHaveLength(1);
      expect(JSON.parse(batch[0].body).SecretIdList).toHaveLength(2);
      expect(await callsOf('GetSecretValue')).toHaveLength(0);
    });
  });

  describe('through the fault-injecting proxy', () => {
    let proxy: LatencyProxy;
    beforeAll(async () => {
      proxy = await startLatencyProxy({ target: motoUrl!, delayMs: 0, slowMs: 0 });
    });
    afterAll(async () => {
      await proxy?.close();
    });
    beforeEach(() => {
      proxy.clearFaults();
      proxy.clearLog();
    });
    const viaProxy = () => awsEnv({ AWS_ENDPOINT_URL: proxy.url });

    it('Batch denied (AccessDeniedException): falls back to one GetSecretValue per secret', async () => {
      await seedSecret(ACCOUNT, 'app/one', 'v1');
      await seedSecret(ACCOUNT, 'app/two', JSON.stringify({ f: 'v2' }));
      await resetRecording();
      const rule = proxy.addFault({ kind: 'deny', action: 'BatchGetSecretValue', times: 5 });
      const values = await resolve(config({ ONE: secretVar('app/one'), TWO: secretVar('app/two#f') }), viaProxy());
      expect(values).toEqual({ ONE: 'v1', TWO: 'v2' });
      expect(rule.injected).toBe(1); // asked once, denied once, never asked again
      expect(proxy.log.filter((e) => e.action === 'BatchGetSecretValue').map((e) => e.fault)).toEqual(['deny']);
      // moto never saw the denied Batch; it served one GetSecretValue per secret.
      expect(await callsOf('BatchGetSecretValue')).toHaveLength(0);
      const reads = await callsOf('GetSecretValue');
      expect(reads.map((c) => JSON.parse(c.body).SecretId).sort()).toEqual(['app/one', 'app/two']);
    });

    it('a Batch error other than AccessDenied is not turned into GetSecretValue calls', async () => {
      await seedSecret(ACCOUNT, 'app/one', 'v1');
      await seedSecret(ACCOUNT, 'app/two', 'v2');
      await resetRecording();
      proxy.addFault({ kind: 'deny', action: 'BatchGetSecretValue', times: 5, code: 'ValidationException', message: 'nope' });
      await expect(resolve(config({ ONE: secretVar('app/one'), TWO: secretVar('app/two') }), viaProxy())).rejects.toMatchObject({
        awsCode: 'ValidationException',
        store: 'sm',
      });
      expect(await callsOf('GetSecretValue')).toHaveLength(0);
    });

    it('a throttled AssumeRole (Throttling, once) is retried by the SDK and succeeds', async () => {
      await seedSecret(ACCOUNT, 'app/one', 'v1');
      await resetRecording();
      const rule = proxy.addFault({ kind: 'throttle', action: 'AssumeRole', times: 1 });
      const values = await resolve(config({ ONE: secretVar('app/one') }), viaProxy());
      expect(values.ONE).toBe('v1');
      expect(rule.injected).toBe(1);
      const seen = proxy.log.filter((e) => e.action === 'AssumeRole');
      // root: throttled, then retried; reader: once. moto served exactly one call per session.
      expect(seen.map((e) => e.fault ?? 'ok')).toEqual(['throttle', 'ok', 'ok']);
      const assumes = await callsOf('AssumeRole');
      expect(assumes.map((c) => c.params.get('RoleArn'))).toEqual([
        'arn:aws:iam::111111111111:role/Root',
        `arn:aws:iam::${ACCOUNT}:role/Reader`,
      ]);
    });

    it('throttling that outlasts the SDK\'s retries fails the run, naming the store, the hop and the code', async () => {
      await seedSecret(ACCOUNT, 'app/one', 'v1');
      await resetRecording();
      const rule = proxy.addFault({ kind: 'throttle', action: 'AssumeRole', times: 100 });
      const failure = resolve(config({ ONE: secretVar('app/one') }), viaProxy());
      await expect(failure).rejects.toMatchObject({ awsCode: 'Throttling', store: 'root', exitCode: 1 });
      await expect(failure).rejects.toThrow(/store root: AssumeRole arn:aws:iam::111111111111:role\/Root failed: Throttling/);
      // The SDK's standard strategy makes 3 attempts; nothing reached moto and nothing after the hop ran.
      expect(rule.injected).toBe(3);
      expect(await callsOf('AssumeRole')).toHaveLength(0);
      expect(await callsOf('GetSecretValue')).toHaveLength(0);
    });

    it('a 503 and a connection reset on Secrets Manager are retried, with one read reaching moto', async () => {
      await seedSecret(ACCOUNT, 'app/one', 'v1');
      await resetRecording();
      proxy.addFault({ kind: 'error5xx', action: 'GetSecretValue', times: 1 });
      proxy.addFault({ kind: 'reset', action: 'GetSecretValue', times: 1 });
      const values = await resolve(config({ ONE: secretVar('app/one') }), viaProxy());
      expect(values.ONE).toBe('v1');
      expect(proxy.log.filter((e) => e.action === 'GetSecretValue').map((e) => e.fault ?? 'ok')).toEqual(['error5xx', 'reset', 'ok']);
      expect(await callsOf('GetSecretValue')).toHaveLength(1);
      expect((await recordedCalls()).filter((c) => c.action === 'AssumeRole')).toHaveLength(2);
    });
  });
});
