import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Credentials } from '../../src/aws/credentials';
import { cachedSession } from '../../src/cache/cached-session';
import { DEFAULT_MARGIN_SECONDS, isReusable, refreshMargin } from '../../src/cache/margin';
import { entryFile } from '../../src/cache/session-file';
import type { StsSpec } from '../../src/stores/aws-sts/types';
import { stsSpec } from '../helpers/session-fixtures';
import { Logger } from '../../src/log';

const MIN = 60;
const HOUR = 3600;

describe('refreshMargin', () => {
  it('defaults to 15 minutes for sessions longer than an hour', () => {
    expect(DEFAULT_MARGIN_SECONDS).toBe(15 * MIN);
    expect(refreshMargin(12 * HOUR)).toBe(15 * MIN);
    expect(refreshMargin(HOUR + 1)).toBe(15 * MIN);
  });

  it('uses a quarter of the lifetime for sessions of at most an hour', () => {
    expect(refreshMargin(900)).toBe(225);
    expect(refreshMargin(30 * MIN)).toBe(450);
    // At exactly one hour both rules agree, so the margin does not jump at the boundary.
    expect(refreshMargin(HOUR)).toBe(15 * MIN);
  });

  it('a configured refresh_before wins, both ways', () => {
    expect(refreshMargin(12 * HOUR, 10 * MIN)).toBe(10 * MIN);
    expect(refreshMargin(900, 10 * MIN)).toBe(10 * MIN);
    expect(refreshMargin(900, 0)).toBe(0);
  });
});

describe('isReusable with an injected clock', () => {
  const created = Date.parse('2026-03-01T12:00:00Z');
  const at = (seconds: number) => created + seconds * 1000;

  it('a 900 s break-glass session is reused for about 11 min 15 s, not never', () => {
    const exp = at(900);
    expect(isReusable(at(0), exp, 900)).toBe(true);
    expect(isReusable(at(11 * MIN), exp, 900)).toBe(true);
    expect(isReusable(at(11 * MIN + 14), exp, 900)).toBe(true);
    expect(isReusable(at(11 * MIN + 15), exp, 900)).toBe(false);
    expect(isReusable(at(12 * MIN), exp, 900)).toBe(false);
  });

  it('a 1 h session is reused for 45 min', () => {
    const exp = at(HOUR);
    expect(isReusable(at(44 * MIN + 59), exp, HOUR)).toBe(true);
    expect(isReusable(at(45 * MIN), exp, HOUR)).toBe(false);
  });

  it('a 12 h session is reused until 15 min before it expires', () => {
    const exp = at(12 * HOUR);
    expect(isReusable(at(11 * HOUR + 44 * MIN), exp, 12 * HOUR)).toBe(true);
    expect(isReusable(at(11 * HOUR + 45 * MIN), exp, 12 * HOUR)).toBe(false);
  });

  it('with refresh_before: 10m a 12 h session is reused until 10 min before it expires', () => {
    const exp = at(12 * HOUR);
    expect(isReusable(at(11 * HOUR + 49 * MIN), exp, 12 * HOUR, 10 * MIN)).toBe(true);
    expect(isReusable(at(11 * HOUR + 50 * MIN), exp, 12 * HOUR, 10 * MIN)).toBe(false);
  });

  it('an expired session is never reused, even with no margin', () => {
    expect(isReusable(at(901), at(900), 900, 0)).toBe(false);
    expect(isReusable(at(899), at(900), 900, 0)).toBe(true);
  });
});

describe('cachedSession with a fake provider and a fake clock', () => {
  const spec = (cache: StsSpec['cache'] = { enabled: true }): StsSpec =>
    stsSpec({ name: 'breakglass', roleArn: 'arn:aws:iam::111111111111:role/BreakGlass', durationSeconds: 900, cache });
  const T0 = Date.parse('2026-03-01T12:00:00Z');
  let dir: string;
  let clock: number;
  let calls: number;
  const lines: string[] = [];

  /** Hands out a new session per call, lasting `lifetime` seconds from the fake now. */
  const fakeProvider = (lifetime: number) => async (): Promise<Credentials> => {
    calls++;
    return {
      accessKeyId: `ASIAFAKE${calls}`,
      secretAccessKey: `secret-${calls}`,
      sessionToken: `token-${calls}`,
      expiration: new Date(clock + lifetime * 1000),
    };
  };
  const wrap = (lifetime: number, s = spec(), refresh = false) =>
    cachedSession(fakeProvider(lifetime), { spec: s, key: 'k'.repeat(32), region: 'us-east-1' }, {
      dir,
      log: new Logger('debug', (l) => lines.push(l)),
      refresh,
      lockTimeoutMs: 2000,
      now: () => clock,
    });

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsops-margin-'));
    clock = T0;
    calls = 0;
    lines.length = 0;
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reuses a 900 s session until expiration − 225 s, then calls again', async () => {
    expect((await wrap(900)()).accessKeyId).toBe('ASIAFAKE1');
    expect(calls).toBe(1);

    // Each run builds a new decorator (a new process), as the CLI does.
    clock = T0 + 11 * MIN * 1000;
    expect((await wrap(900)()).accessKeyId).toBe('ASIAFAKE1');
    clock = T0 + (11 * MIN + 14) * 1000;
    expect((await wrap(900)()).accessKeyId).toBe('ASIAFAKE1');
    expect(calls).toBe(1);

    clock = T0 + (11 * MIN + 15) * 1000;
    expect((await wrap(900)()).accessKeyId).toBe('ASIAFAKE2');
    expect(calls).toBe(2);

    // The renewed session is what is stored now.
    clock += 60_000;
    expect((await wrap(900)()).accessKeyId).toBe('ASIAFAKE2');
    expect(calls).toBe(2);
  });

  it('reuses a 12 h session until 15 min before expiry', async () => {
    await wrap(12 * HOUR)();
    clock = T0 + (11 * HOUR + 44 * MIN) * 1000;
    await wrap(12 * HOUR)();
    expect(calls).toBe(1);
    clock = T0 + (11 * HOUR + 45 * MIN) * 1000;
    await wrap(12 * HOUR)();
    expect(calls).toBe(2);
  });

  it('a configured refresh_before is used instead of the default', async () => {
    const s = spec({ enabled: true, refreshBeforeSeconds: 10 * MIN });
    await wrap(900, s)();
    clock = T0 + (4 * MIN + 59) * 1000;
    await wrap(900, s)();
    expect(calls).toBe(1);
    clock = T0 + 5 * MIN * 1000;
    await wrap(900, s)();
    expect(calls).toBe(2);
  });

  it('refresh_before longer than the session means it is never reused', async () => {
    const s = spec({ enabled: true, refreshBeforeSeconds: 20 * MIN });
    await wrap(900, s)();
    await wrap(900, s)();
    expect(calls).toBe(2);
  });

  it('cache disabled: the provider is returned untouched and nothing is written', async () => {
    const p = fakeProvider(900);
    const d = cachedSession(p, { spec: spec({ enabled: false }), key: 'k'.repeat(32), region: 'us-east-1' }, {
      dir,
      log: new Logger('quiet', () => undefined),
      refresh: false,
      lockTimeoutMs: 1000,
      now: () => clock,
    });
    expect(d).toBe(p);
    await d();
    await d();
    expect(calls).toBe(2);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('refresh calls even when a valid session is cached, and stores the new one', async () => {
    await wrap(HOUR)();
    expect((await wrap(HOUR, spec(), true)()).accessKeyId).toBe('ASIAFAKE2');
    expect((await wrap(HOUR)()).accessKeyId).toBe('ASIAFAKE2');
    expect(calls).toBe(2);
  });

  it('writes one file named after the key, and logs the hit at verbose level without credentials', async () => {
    await wrap(HOUR)();
    await wrap(HOUR)();
    expect(fs.readdirSync(dir)).toEqual([path.basename(entryFile(dir, 'k'.repeat(32)))]);
    expect(lines.some((l) => /breakglass: cached session, expires 2026-03-01T13:00:00/.test(l))).toBe(true);
    expect(lines.join('\n')).not.toMatch(/ASIAFAKE|secret-1|token-1/);
  });

  it('a failing provider leaves no entry and no lock behind', async () => {
    const failing = cachedSession(
      async () => {
        throw new Error('AccessDenied');
      },
      { spec: spec(), key: 'k'.repeat(32), region: 'us-east-1' },
      { dir, log: new Logger('quiet', () => undefined), refresh: false, lockTimeoutMs: 1000, now: () => clock },
    );
    await expect(failing()).rejects.toThrow('AccessDenied');
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
