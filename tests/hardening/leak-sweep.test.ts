/**
 * Leak sweep: canary secrets (distinctive secret values, the root secret key, and every session credential
 * moto hands out) across every command, every log level and the error paths, through the built CLI.
 * None may appear in dsops's stdout or stderr, in the argv of dsops or of the child it starts (read from
 * /proc/<pid>/cmdline by the child itself), or in any file written under the project, HOME, TMPDIR or the
 * cache dir, except the 0600 STS session cache. The child's own output goes to a file outside all of these.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LatencyProxy, startLatencyProxy } from '../../bench/latency-proxy';
import { project, runCli } from '../helpers/cli';
import { recordHardening } from '../helpers/hardening-report';
import { awsEnv, describeMoto, motoUrl, resetMoto, seedSecret } from '../helpers/moto';

const ACCOUNT = '222222222222';
/**
 * Secret values repeat one rare unit, so any 4 characters of one contain a rotation of it: Node's JSON
 * errors quote only about 10 characters around the bad spot, and a check for the whole value misses that.
 */
const UNIT = 'Qz9Y';
const FRAGMENT = new RegExp([0, 1, 2, 3].map((i) => UNIT.slice(i) + UNIT.slice(0, i)).join('|'));
const JSON_PASSWORD = UNIT.repeat(6);
const PLAIN = UNIT.repeat(5);
const SHORT = UNIT + UNIT.slice(0, 2); // a short secret would leak whole in a quoted error
/** Any run of this many characters of a session credential counts as a leak of it. */
const WINDOW = 12;
const ROOT_SECRET = awsEnv().AWS_SECRET_ACCESS_KEY;
const LEVELS: { name: string; flags: string[] }[] = [
  { name: '-q', flags: ['-q'] },
  { name: 'default', flags: [] },
  { name: '-v', flags: ['-v'] },
  { name: '--debug', flags: ['--debug'] },
];

/** The child: records its own argv and its parent's (dsops) from /proc, into a file outside the sweep. */
const SPY = `
const fs = require('fs');
const [out, code] = process.argv.slice(2);
const cmdline = (pid) => { try { return fs.readFileSync('/proc/' + pid + '/cmdline', 'utf8'); } catch { return ''; } };
fs.appendFileSync(out, JSON.stringify({ self: cmdline('self'), parent: cmdline(process.ppid) }) + '\\n');
process.exit(Number(code ?? 0));
`;

describeMoto('leak sweep: canaries in output, argv and files', () => {
  let proxy: LatencyProxy;
  let leakChecks = 0;
  const leaks: string[] = [];

  beforeAll(async () => {
    await resetMoto();
    await seedSecret(ACCOUNT, 'app/db', JSON.stringify({ password: JSON_PASSWORD, user: 'app' }));
    await seedSecret(ACCOUNT, 'app/plain', PLAIN);
    await seedSecret(ACCOUNT, 'app/short', SHORT);
    proxy = await startLatencyProxy({ target: motoUrl!, delayMs: 0, slowMs: 0 });
    // Through the proxy only: AssumeRole is denied, and a secret comes back with its JSON broken.
    proxy.addFault({ kind: 'deny', action: 'AssumeRole', times: 1000 });
    proxy.addFault({ kind: 'corrupt', action: 'GetSecretValue', find: /"SecretString": ?"/, replace: '"SecretString": ', times: 1000 });
  });
  afterAll(async () => {
    await proxy?.close();
    recordHardening('leak-sweep', { leakChecks, leaks: leaks.length });
  });

  const yaml = (): string => `
version: 1
secretStores:
  jump:
    type: aws.sts
    role_arn: arn:aws:iam::${ACCOUNT}:role/Deploy
  app:
    type: aws.secretsmanager
    credentials_from: jump
  corrupted:
    type: aws.secretsmanager
    credentials_from: jump
    endpoint: ${proxy.url}
  denied:
    type: aws.sts
    role_arn: arn:aws:iam::${ACCOUNT}:role/Denied
    endpoint: ${proxy.url}
envs:
  all:
    AWS_ACCESS_KEY_ID: { from: { store: jump, key: AccessKeyId } }
    AWS_SECRET_ACCESS_KEY: { from: { store: jump, key: SecretAccessKey } }
    AWS_SESSION_TOKEN: { from: { store: jump, key: SessionToken } }
    DB_PASSWORD: { from: { store: app, key: "app/db#password" } }
    PLAIN: { from: { store: app, key: "app/plain" } }
    SHORT: { from: { store: app, key: "app/short" } }
  missing-field:
    X: { from: { store: app, key: "app/db#nope" } }
  field-of-plain:
    X: { from: { store: app, key: "app/short#field" } }
  missing-secret:
    X: { from: { store: app, key: "app/nope" } }
  aws-error:
    X: { from: { store: denied, key: AccessKeyId } }
  corrupt:
    X: { from: { store: corrupted, key: "app/db#password" } }
  corrupt-short:
    X: { from: { store: corrupted, key: "app/short" } }
`;

  /** Every file under `dir`, with its mode. */
  function filesUnder(dir: string): { file: string; mode: number }[] {
    const out: { file: string; mode: number }[] = [];
    const walk = (d: string): void => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.isFile()) out.push({ file: p, mode: fs.statSync(p).mode & 0o777 });
      }
    };
    if (fs.existsSync(dir)) walk(dir);
    return out;
  }

  /** Every credential moto has handed out so far (moto's state lists each assumed role's keys). */
  async function sessionCanaries(): Promise<Record<string, string>> {
    const data = (await (await fetch(`${motoUrl}/moto-api/data.json`)).json()) as {
      sts?: { AssumedRole?: { access_key_id: string; secret_access_key: string; session_token: string }[] };
    };
    const out: Record<string, string> = {};
    (data.sts?.AssumedRole ?? []).forEach((r, i) => {
      out[`session ${i} access key id`] = r.access_key_id;
      out[`session ${i} secret key`] = r.secret_access_key;
      out[`session ${i} session token`] = r.session_token;
    });
    return out;
  }

  /** Whether `text` holds `value`, or any WINDOW characters of it. */
  function leaksPart(text: string, value: string): boolean {
    if (value.length <= WINDOW) return text.includes(value);
    for (let i = 0; i + WINDOW <= value.length; i++) if (text.includes(value.slice(i, i + WINDOW))) return true;
    return false;
  }

  it.each(LEVELS)('at $name: nothing secret in stdout, stderr, argv or files', async ({ flags }) => {
    const dir = project(yaml());
    const tmp = path.join(dir, 'tmp');
    fs.mkdirSync(tmp);
    const cache = path.join(dir, '.cache');
    const spyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsops-spy-'));
    const spy = path.join(spyDir, 'spy.js');
    const spyOut = path.join(spyDir, 'out.jsonl');
    fs.writeFileSync(spy, SPY);
    const env = awsEnv({ TMPDIR: tmp });

    const child = ['--', process.execPath, spy, spyOut];
    const runs: { label: string; args: string[]; code: number }[] = [
      { label: 'exec', args: ['exec', '--env', 'all', ...child], code: 0 },
      { label: 'exec (warm)', args: ['exec', '--env', 'all', ...child], code: 0 },
      { label: 'exec --no-cache', args: ['exec', '--no-cache', '--env', 'all', ...child], code: 0 },
      { label: 'exec --refresh', args: ['exec', '--refresh', '--env', 'all', ...child], code: 0 },
      { label: 'exec, the child fails', args: ['exec', '--env', 'all', ...child, '3'], code: 3 },
      { label: 'validate', args: ['validate'], code: 0 },
      { label: 'plan', args: ['plan', '--env', 'all'], code: 0 },
      { label: 'plan --json', args: ['plan', '--env', 'all', '--json'], code: 0 },
      { label: 'cache list', args: ['cache', 'list'], code: 0 },
      { label: 'cache list --json', args: ['cache', 'list', '--json'], code: 0 },
      { label: 'whoami', args: ['whoami', '--env', 'all'], code: 0 },
      { label: 'whoami --json', args: ['whoami', '--env', 'all', '--json'], code: 0 },
      { label: 'whoami, an AWS error', args: ['whoami', '--env', 'aws-error'], code: 1 },
      { label: 'doctor', args: ['doctor'], code: 0 },
      { label: 'doctor --json', args: ['doctor', '--json'], code: 0 },
      { label: '--help', args: ['--help'], code: 0 },
      { label: 'exec --help', args: ['exec', '--help'], code: 0 },
      { label: 'a missing JSON field', args: ['exec', '--env', 'missing-field', ...child], code: 1 },
      { label: 'a field of a secret that is not JSON', args: ['exec', '--env', 'field-of-plain', ...child], code: 1 },
      { label: 'an AWS error (no such secret)', args: ['exec', '--env', 'missing-secret', ...child], code: 1 },
      { label: 'an AWS error (AssumeRole denied)', args: ['exec', '--env', 'aws-error', ...child], code: 1 },
      { label: 'a corrupt GetSecretValue answer', args: ['exec', '--env', 'corrupt', ...child], code: 1 },
      { label: 'a corrupt answer holding a short secret', args: ['exec', '--env', 'corrupt-short', ...child], code: 1 },
      { label: 'cache clear', args: ['cache', 'clear'], code: 0 },
    ];

    const texts: { where: string; text: string }[] = [];
    for (const run of runs) {
      // Options after the command too, as users type them; -q/-v/--debug are global.
      const r = await runCli([...flags, ...run.args], { cwd: dir, env, timeoutMs: 30_000 });
      expect({ label: run.label, code: r.code, signal: r.signal }).toEqual({ label: run.label, code: run.code, signal: null });
      texts.push({ where: `${run.label}: stdout`, text: r.stdout }, { where: `${run.label}: stderr`, text: r.stderr });
      for (const { file, mode } of filesUnder(dir)) {
        // The session cache is the one file allowed to hold credentials, and only at 0600.
        if (file.startsWith(cache + path.sep) && /\/sts-[0-9a-f]+\.json$/.test(file) && mode === 0o600) continue;
        texts.push({ where: `${run.label}: file ${path.relative(dir, file)}`, text: fs.readFileSync(file, 'latin1') });
      }
    }
    const argv = fs.readFileSync(spyOut, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { self: string; parent: string });
    expect(argv.length).toBeGreaterThanOrEqual(5); // the successful execs and the failing child ran
    argv.forEach((a, i) => {
      expect(a.self).toContain('spy.js');
      texts.push({ where: `child ${i} argv`, text: a.self }, { where: `dsops argv (child ${i}'s parent)`, text: a.parent });
    });

    const credentials: Record<string, string> = { 'the root secret key': ROOT_SECRET, ...(await sessionCanaries()) };
    expect(Object.keys(credentials).length).toBeGreaterThan(3); // moto handed out sessions, so they are checked too
    const found: string[] = [];
    const seen = new Set<string>();
    for (const { where, text } of texts) {
      if (seen.has(text)) continue; // the same file after every run: one check is enough
      seen.add(text);
      leakChecks++;
      const m = FRAGMENT.exec(text);
      if (m) found.push(`secret fragment "${m[0]}" in ${where}`);
      for (const [name, value] of Object.entries(credentials)) {
        leakChecks++;
        if (leaksPart(text, value)) found.push(`part of ${name} in ${where}`);
      }
    }
    leaks.push(...found);
    fs.rmSync(spyDir, { recursive: true, force: true });
    expect(found).toEqual([]);
  });
});
