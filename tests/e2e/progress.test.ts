/**
 * The progress line and the lock-wait notice, on a real terminal (tests/helpers/pty-run.py) and on a pipe.
 * A first run holds the session lock while its AssumeRole is held back by bench/latency-proxy.js; a second
 * run, started once the lock exists, waits on it. Regression (issue 13): that wait, up to 120 s, was silent
 * without -v.
 */
import * as fs from 'fs';
import * as path from 'path';
import { LatencyProxy, startLatencyProxy } from '../../bench/latency-proxy';
import { CliResult, project, runCli } from '../helpers/cli';
import { awsEnv, describeMoto, motoUrl, resetMoto } from '../helpers/moto';
import { onTerminal } from '../helpers/pty';
import { waitFor } from '../helpers/wait-for';

const YAML = `version: 1
secretStores:
  slow:
    type: aws.sts
    role_arn: arn:aws:iam::123456789012:role/SlowAdmin
envs:
  demo:
    KEY: { from: { store: slow, key: AccessKeyId } }
`;
const LABEL = 'store slow: waiting for another dsops run that holds the session lock…';
const NOTICE = 'dsops: store slow: waiting for another dsops process that is fetching this session';
// Longer than the 2 s after which the wait is logged, with room for the second run's start-up.
const HELD_MS = 4500;

describeMoto('progress line and lock wait (pty, latency-proxy, moto)', () => {
  let proxy: LatencyProxy;
  beforeAll(async () => {
    proxy = await startLatencyProxy({ target: motoUrl!, delayMs: 0, slowMs: HELD_MS });
  });
  afterAll(() => proxy.close());
  beforeEach(resetMoto);

  /** Starts a run that holds the lock of store slow, and resolves once the lock is there. */
  async function holder(cwd: string): Promise<{ run: Promise<CliResult> }> {
    const first = runCli(['exec', '--env', 'demo', '--', 'true'], { cwd, env: awsEnv({ AWS_ENDPOINT_URL: proxy.url }) });
    const cache = path.join(cwd, '.cache');
    await waitFor('the first run to take the session lock', () => fs.existsSync(cache) && fs.readdirSync(cache).some((f) => f.endsWith('.lock')));
    // Wrapped: an async function returning the promise itself would wait for the run to end.
    return { run: first };
  }

  it('on a terminal: the wait is named, then erased; the notice appears without -v', async () => {
    const cwd = project(YAML);
    const first = (await holder(cwd)).run;
    const second = await onTerminal(cwd, ['exec', '--env', 'demo', '--', 'true'], { env: awsEnv({ AWS_ENDPOINT_URL: proxy.url }) });
    expect((await first).code).toBe(0);
    expect(second.code).toBe(0);
    const shown = second.screen.indexOf(`\r\x1b[2K${LABEL}`);
    expect(shown).toBeGreaterThanOrEqual(0);
    // Erased at the end: the last thing on the screen is the erase, not the label.
    expect(second.screen.trimEnd().endsWith('\r\x1b[2K')).toBe(true);
    expect(second.screen).toContain(NOTICE);
  });

  it('on a pipe: no progress line, but the notice of a wait over 2 s', async () => {
    const cwd = project(YAML);
    const first = (await holder(cwd)).run;
    const second = await runCli(['exec', '--env', 'demo', '--', 'true'], { cwd, env: awsEnv({ AWS_ENDPOINT_URL: proxy.url }) });
    expect((await first).code).toBe(0);
    expect(second.code).toBe(0);
    expect(second.stderr).not.toContain('\x1b[');
    expect(second.stderr).not.toContain(LABEL);
    expect(second.stderr).toContain(NOTICE);
  });

  it('-q on a terminal: neither', async () => {
    const cwd = project(YAML);
    const first = (await holder(cwd)).run;
    const second = await onTerminal(cwd, ['-q', 'exec', '--env', 'demo', '--', 'true'], { env: awsEnv({ AWS_ENDPOINT_URL: proxy.url }) });
    expect((await first).code).toBe(0);
    expect(second.code).toBe(0);
    expect(second.screen).not.toContain(LABEL);
    expect(second.screen).not.toContain(NOTICE);
  });
});
