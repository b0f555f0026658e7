/**
 * Colours on a terminal: config errors are marked like runtime errors (regression, issue 13: config errors
 * were uncoloured while runtime errors were red), usage errors too, and NO_COLOR or a pipe turns them off.
 */
import { project, runCli } from '../helpers/cli';
import { onTerminal } from '../helpers/pty';

const RED = '\x1b[31m';
const BAD_CONFIG = `version: 1
secretStores:
  a:
    type: aws.sts
    rol_arn: arn:aws:iam::123456789012:role/A
envs:
  demo:
    K: { from: { store: a, key: AccessKeyId } }
`;

describe('error colours', () => {
  const cwd = project(BAD_CONFIG);

  it('a config error on a terminal is red, as a runtime error is', async () => {
    const r = await onTerminal(cwd, ['validate']);
    expect(r.code).toBe(2);
    expect(r.screen).toContain(`${RED}error[E_UNKNOWN_KEY]\x1b[0m store a: unknown key "rol_arn"`);
    expect(r.screen).toContain(`${RED}dsops:\x1b[0m 2 config problems; nothing was run`);
  });

  it('a usage error on a terminal is red', async () => {
    const r = await onTerminal(cwd, ['valdate']);
    expect(r.code).toBe(2);
    expect(r.screen).toContain(`${RED}dsops: error:\x1b[0m unknown command "valdate"`);
  });

  it.each([['NO_COLOR=1', { NO_COLOR: '1' }], ['TERM=dumb', { TERM: 'dumb' }]])('%s: no colour on a terminal', async (_what, env) => {
    const r = await onTerminal(cwd, ['validate'], { env });
    expect(r.code).toBe(2);
    expect(r.screen).toContain('error[E_UNKNOWN_KEY] store a: unknown key "rol_arn"');
    expect(r.screen).not.toContain('\x1b[');
  });

  it('no colour on a pipe', async () => {
    const r = await runCli(['validate'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain('\x1b[');
  });
});
