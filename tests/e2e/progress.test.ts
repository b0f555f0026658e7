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
import { pollUntil } from '../helpers/poll';

const YAML = `version: 1
secretStores:
  slow:
    type: aws.sts
    role_arn: arn:aws:iam::123456789012:role/SlowAdmin
envs:
  demo:
    KEY: { from: { store: slow, key: AccessKeyId } }
`;
/** The wait line and the notice, naming the pid of the run that holds the lock (issue 13 item 5). */
const LABEL = (pid: number) => `store slow: waiting for another dsops run (pid ${pid}) that holds the session lock…`;
const NOTICE = (pid: number) => `dsops: store slow: waiting for another dsops process (pid ${pid}) that is fetching this session`;
const ANY_LABEL = 'that holds the session lock…';
const ANY_NOTICE = 'that is fetching this session';
// Longer than the 2 s after which the wait is logged, with room for the second run's start-up.
const HELD_MS = 4500;

describeMoto('progress line and lock wait (pty, latency-proxy, moto)', () => {
  let proxy: LatencyProxy;
  beforeAll(async () => {
    proxy = await startLatencyProxy({ target: motoUrl!, delayMs: 0, slowMs: HELD_MS });
  });
  afterAll(() => proxy.close());
  beforeEach(resetMoto);

  /** Starts a run that holds the lock of store slow, and resolves once the lock and its owner record are there. */
  async function holder(cwd: string): Promise<{ run: Promise<CliResult>; pid: number }> {
    let pid = 0;
    const first = runCli(['exec', '--env', 'demo', '--', 'true'], { cwd, env: awsEnv({ AWS_ENDPOINT_URL: proxy.url }), onSpawn: (p) => (pid = p) });
    const cache = path.join(cwd, '.cache');
    const has = (suffix: string) => fs.existsSync(cache) && fs.readdirSync(cache).some((f) => f.endsWith(suffix));
    await pollUntil('the first run to take the session lock and record its pid', () => has('.lock') && has('.owner'), { attempts: 1000 });
    expect(pid).toBeGreaterThan(0);
    // Wrapped: an async function returning the promise itself would wait for the run to end.
    return { run: first, pid };
  }

  it('on a terminal: the wait names the holding run\'s pid, then is erased; the notice (with the pid) appears without -v', async () => {
    const cwd = project(YAML);
    const { run: first, pid } = await holder(cwd);
    const second = await onTerminal(cwd, ['exec', '--env', 'demo', '--', 'true'], { env: awsEnv({ AWS_ENDPOINT_URL: proxy.url }) });
    expect((await first).code).toBe(0);
    expect(second.code).toBe(0);
    const shown = second.screen.indexOf(`\r\x1b[2K${LABEL(pid)}`);
    expect(shown).toBeGreaterThanOrEqual(0);
    // Erased at the end: the last thing on the screen is the erase, not the label.
    expect(second.screen.trimEnd().endsWith('\r\x1b[2K')).toBe(true);
    expect(second.screen).toContain(NOTICE(pid));
    // The holder removed its record when it let go of the lock.
    expect(fs.readdirSync(path.join(cwd, '.cache')).filter((f) => f.endsWith('.owner') || f.endsWith('.lock'))).toEqual([]);
  });

  it('on a pipe: no progress line, but the notice of a wait over 2 s, naming the pid', async () => {
    const cwd = project(YAML);
    const { run: first, pid } = await holder(cwd);
    const second = await runCli(['exec', '--env', 'demo', '--', 'true'], { cwd, env: awsEnv({ AWS_ENDPOINT_URL: proxy.url }) });
    expect((await first).code).toBe(0);
    expect(second.code).toBe(0);
    expect(second.stderr).not.toContain('\x1b[');
    expect(second.stderr).not.toContain(ANY_LABEL);
    expect(second.stderr).toContain(NOTICE(pid));
  });

  it('-q on a terminal: neither', async () => {
    const cwd = project(YAML);
    const first = (await holder(cwd)).run;
    const second = await onTerminal(cwd, ['-q', 'exec', '--env', 'demo', '--', 'true'], { env: awsEnv({ AWS_ENDPOINT_URL: proxy.url }) });
    expect((await first).code).toBe(0);
    expect(second.code).toBe(0);
    expect(second.screen).not.toContain(ANY_LABEL);
    expect(second.screen).not.toContain(ANY_NOTICE);
  });
});
