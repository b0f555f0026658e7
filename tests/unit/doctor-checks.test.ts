/** The pure checks of `dsops doctor`: Node's end of life, clock skew thresholds, endpoint overrides, the output. */
import { checkClockSkew } from '../../src/doctor/clock-skew';
import { checkEndpoints } from '../../src/doctor/endpoints';
import { checkNodeVersion, nodeEndOfLife } from '../../src/doctor/node-version';
import { renderJson, renderText } from '../../src/doctor/render';
import { fail, ok, skip, warn } from '../../src/doctor/check';

const at = (iso: string) => new Date(iso);

describe('Node end of life, against an injected date', () => {
  test.each([
    ['20.20.2', '2026-11-30', 'warn', '20.20.2 is past end of life (2026-04-30)'],
    ['v20.20.2', '2026-04-30T23:59:59Z', 'ok', 'supported until 2026-04-30'],
    ['20.0.0', '2026-05-01T00:00:00Z', 'warn', 'past end of life (2026-04-30)'],
    ['22.12.0', '2026-11-30', 'ok', '22.12.0 (supported until 2027-04-30)'],
    ['22.12.0', '2027-05-01', 'warn', 'past end of life (2027-04-30)'],
    ['24.1.0', '2026-11-30', 'ok', 'supported until 2028-04-30'],
    ['23.11.0', '2026-11-30', 'warn', 'past end of life (2025-06-01)'],
    ['25.2.0', '2026-05-31', 'ok', 'supported until 2026-06-01'],
    ['25.2.0', '2026-11-30', 'warn', 'past end of life (2026-06-01)'],
    ['26.0.0', '2026-11-30', 'ok', '26.0.0'],
    ['30.1.0', '2040-01-01', 'ok', '30.1.0'],
    ['18.20.0', '2026-11-30', 'warn', 'older than dsops supports'],
  ])('%s on %s: %s', (version, date, status, detail) => {
    const r = checkNodeVersion(version, at(date));
    expect(r.status).toBe(status);
    expect(r.detail).toContain(detail);
    if (status === 'warn') expect(r.hint).toBeTruthy();
  });

  test('odd majors end June 1 after their October release', () => {
    expect([21, 23, 25].map(nodeEndOfLife)).toEqual(['2024-06-01', '2025-06-01', '2026-06-01']);
    expect(nodeEndOfLife(27)).toBeUndefined();
  });
});

describe('clock skew against STS', () => {
  const server = at('2026-11-30T12:00:00Z');
  const local = (deltaMs: number) => server.getTime() + deltaMs;
  test.each([
    [0, 'ok'],
    [60_000, 'ok'],
    [-60_000, 'ok'],
    [60_001, 'warn'],
    [-61_000, 'warn'],
    [300_000, 'warn'],
    [300_001, 'fail'],
    [-3_600_000, 'fail'],
  ])('%i ms off is %s', (delta, status) => {
    expect(checkClockSkew(server, local(delta)).status).toBe(status);
  });

  test('says which way the clock is off, and how to fix it', () => {
    const ahead = checkClockSkew(server, local(400_000));
    expect(ahead.detail).toBe('400 s ahead of STS: AWS rejects requests signed more than 5 min off');
    expect(ahead.hint).toMatch(/sync the clock/);
    expect(checkClockSkew(server, local(-90_000)).detail).toBe('90 s behind STS');
  });

  test('no Date header: skipped, not failed', () => {
    expect(checkClockSkew(undefined, 0).status).toBe('skip');
  });
});

describe('endpoint overrides', () => {
  test('none: ok', () => {
    expect(checkEndpoints({}, [])).toEqual(ok('endpoints', "no overrides: AWS's regional endpoints"));
  });

  test('variables and store endpoints are listed; https and loopback http are fine', () => {
    const r = checkEndpoints(
      { AWS_ENDPOINT_URL: 'http://127.0.0.1:5000', AWS_ENDPOINT_URL_SSM: 'https://ssm.example.com', AWS_ENDPOINT_URL_STS: 'http://localhost:4566' },
      [{ where: 'store app', url: 'http://[::1]:9000' }],
    );
    expect(r.status).toBe('ok');
    expect(r.detail).toBe(
      'overridden: AWS_ENDPOINT_URL=http://127.0.0.1:5000, AWS_ENDPOINT_URL_STS=http://localhost:4566, AWS_ENDPOINT_URL_SSM=https://ssm.example.com, store app=http://[::1]:9000',
    );
  });

  test('plain http to another host warns, naming where it is set', () => {
    const r = checkEndpoints({ AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://10.0.0.5:4566' }, [{ where: 'store sts', url: 'http://sts.internal' }]);
    expect(r.status).toBe('warn');
    expect(r.detail).toContain('not https and not loopback: AWS_ENDPOINT_URL_SECRETS_MANAGER, store sts');
    expect(r.hint).toMatch(/unencrypted/);
  });
});

describe('rendering', () => {
  const checks = [
    ok('config', 'dsops.yaml is valid (1 store, 1 env)'),
    { ...fail('config', 'dsops.yaml has 1 problem', 'fix it'), issues: ['dsops.yaml:3:5: error[E_X] store a: bad\n    hint: do y'] },
    warn('node', '20.20.2 is past end of life (2026-04-30)', 'upgrade'),
    skip('clock', 'needs an answer from STS'),
  ];

  test('one line a check, names aligned, hints and issues indented', () => {
    expect(renderText(checks, { color: false })).toBe(
      [
        'ok    config: dsops.yaml is valid (1 store, 1 env)',
        'FAIL  config: dsops.yaml has 1 problem',
        '        dsops.yaml:3:5: error[E_X] store a: bad',
        '        hint: do y',
        '      hint: fix it',
        'warn  node: 20.20.2 is past end of life (2026-04-30)',
        '      hint: upgrade',
        'skip  clock: needs an answer from STS',
        '',
      ].join('\n'),
    );
  });

  test('colour only when asked; quiet keeps only what needs attention', () => {
    expect(renderText([checks[2]], { color: true })).toBe('\x1b[33mwarn\x1b[0m  node: 20.20.2 is past end of life (2026-04-30)\n      \x1b[2mhint:\x1b[0m upgrade\n');
    expect(renderText(checks, { color: false, quiet: true }).split('\n').filter((l) => !l.startsWith(' '))).toEqual([
      'FAIL  config: dsops.yaml has 1 problem',
      'warn  node: 20.20.2 is past end of life (2026-04-30)',
      '',
    ]);
  });

  test('json: {checks: [{name, status, detail, hint?}], ok}', () => {
    expect(JSON.parse(renderJson([checks[0], checks[2]]))).toEqual({
      checks: [
        { name: 'config', status: 'ok', detail: 'dsops.yaml is valid (1 store, 1 env)' },
        { name: 'node', status: 'warn', detail: '20.20.2 is past end of life (2026-04-30)', hint: 'upgrade' },
      ],
      ok: true,
    });
    expect(JSON.parse(renderJson(checks)).ok).toBe(false);
  });
});
