import * as os from 'os';
import { hasReference, interpolate, InterpolationScope, makeScope, timestamp } from '../../src/config/interpolate';

const NOW = new Date('2026-11-21T22:40:12.345Z');
const scope = (env: Record<string, string | undefined>): InterpolationScope => makeScope({ USER: 'alice', ...env }, NOW);

describe('timestamp', () => {
  test('is compact UTC with only characters legal in a role session name', () => {
    expect(timestamp(NOW)).toBe('20261121T224012Z');
    expect(timestamp(NOW)).toMatch(/^[\w+=,.@-]+$/);
  });
});

describe('makeScope', () => {
  test('USER comes from the environment, then USERNAME, then the OS account', () => {
    expect(makeScope({ USER: 'bob' }, NOW).builtins.USER).toBe('bob');
    expect(makeScope({ USERNAME: 'carol' }, NOW).builtins.USER).toBe('carol');
    expect(makeScope({}, NOW).builtins.USER).toBe(os.userInfo().username);
  });

  test('TIMESTAMP is the given clock', () => {
    expect(makeScope({}, NOW).builtins.TIMESTAMP).toBe('20261121T224012Z');
  });
});

describe('interpolate', () => {
  test('text without references comes back unchanged and not marked substituted', () => {
    expect(interpolate('plain $text {x} $', scope({}))).toEqual({ ok: true, value: 'plain $text {x} $', substituted: false });
  });

  test('${VAR} is replaced from the environment', () => {
    expect(interpolate('arn:aws:iam::${ACCT}:role/${ROLE}', scope({ ACCT: '123456789012', ROLE: 'Deploy' }))).toEqual({
      ok: true,
      value: 'arn:aws:iam::123456789012:role/Deploy',
      substituted: true,
    });
  });

  test('every undefined variable is listed, in order', () => {
    expect(interpolate('${A}-${B}-${C}', scope({ B: 'b' }))).toEqual({ ok: false, missing: ['A', 'C'], malformed: [] });
  });

  test('an empty variable counts as unset', () => {
    expect(interpolate('${EMPTY}', scope({ EMPTY: '' }))).toEqual({ ok: false, missing: ['EMPTY'], malformed: [] });
  });

  test('${VAR:-default} uses the default when unset or empty, the value otherwise', () => {
    expect(interpolate('${REGION:-us-east-1}', scope({}))).toMatchObject({ ok: true, value: 'us-east-1' });
    expect(interpolate('${REGION:-us-east-1}', scope({ REGION: '' }))).toMatchObject({ ok: true, value: 'us-east-1' });
    expect(interpolate('${REGION:-us-east-1}', scope({ REGION: 'eu-west-1' }))).toMatchObject({ ok: true, value: 'eu-west-1' });
  });

  test('an empty default is allowed', () => {
    expect(interpolate('x${SUFFIX:-}y', scope({}))).toEqual({ ok: true, value: 'xy', substituted: true });
  });

  test('$${ is a literal ${ and is never a reference', () => {
    expect(interpolate('$${HOME} and $${NOPE:-x}', scope({ HOME: '/home/a' }))).toEqual({
      ok: true,
      value: '${HOME} and ${NOPE:-x}',
      substituted: false,
    });
    expect(interpolate('$${A}${A}', scope({ A: 'v' }))).toEqual({ ok: true, value: '${A}v', substituted: true });
  });

  test('a ${ that starts no valid reference is malformed, not literal text (issue 9 item 12)', () => {
    expect(interpolate('${1X} ${} ${a-b}', scope({}))).toEqual({ ok: false, missing: [], malformed: ['${1X}', '${}', '${a-b}'] });
    expect(interpolate('pre-${VAR', scope({ VAR: 'x' }))).toEqual({ ok: false, missing: [], malformed: ['${VAR'] });
    expect(interpolate('${VAR:default}', scope({ VAR: 'x' }))).toEqual({ ok: false, missing: [], malformed: ['${VAR:default}'] });
    expect(interpolate('$${VAR:default} ${VAR:-d}', scope({}))).toEqual({ ok: true, value: '${VAR:default} d', substituted: true });
  });

  test('USER is a builtin the environment overrides; TIMESTAMP is always the run clock', () => {
    expect(interpolate('${USER}', makeScope({ USER: 'dave' }, NOW))).toMatchObject({ value: 'dave' });
    expect(interpolate('${TIMESTAMP}', scope({ TIMESTAMP: 'spoofed' }))).toMatchObject({ value: '20261121T224012Z' });
  });

  test('transform sees substituted values and defaults, never literal text', () => {
    const seen: [string, string][] = [];
    const r = interpolate('lit eral/${USER}/${X:-d e}', scope({ USER: 'a b' }), (v, name) => {
      seen.push([name, v]);
      return v.replace(/ /g, '_');
    });
    expect(r).toEqual({ ok: true, value: 'lit eral/a_b/d_e', substituted: true });
    expect(seen).toEqual([
      ['USER', 'a b'],
      ['X', 'd e'],
    ]);
  });

  test('a value containing ${ is not expanded again', () => {
    expect(interpolate('${A}', scope({ A: '${B}', B: 'no' }))).toMatchObject({ ok: true, value: '${B}' });
  });
});

describe('hasReference', () => {
  test.each([
    ['${A}', true],
    ['x${A:-1}y', true],
    ['$${A}', false],
    ['$${A} ${B}', true],
    ['no refs', false],
    ['${1A}', false],
  ])('%s → %s', (text, want) => {
    expect(hasReference(text)).toBe(want);
  });
});
