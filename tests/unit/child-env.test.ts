import { AMBIENT_AWS_VARS, childEnv } from '../../src/exec/child-env';

const AMBIENT = {
  AWS_PROFILE: 'dev',
  AWS_DEFAULT_PROFILE: 'dev-default',
  AWS_SESSION_TOKEN: 'old-token',
  AWS_SECURITY_TOKEN: 'old-security-token',
  AWS_CREDENTIAL_EXPIRATION: '2030-01-01T00:00:00Z',
};

describe('childEnv', () => {
  it('lists exactly the ambient vars that would contradict injected keys', () => {
    expect([...AMBIENT_AWS_VARS]).toEqual(Object.keys(AMBIENT));
  });

  it('copies the parent, drops undefined entries, and lets injected values win', () => {
    const { env, removed } = childEnv({ PATH: '/bin', GONE: undefined, FOO: 'parent' }, { FOO: 'injected', BAR: 'new' });
    expect(env).toEqual({ PATH: '/bin', FOO: 'injected', BAR: 'new' });
    expect('GONE' in env).toBe(false);
    expect(removed).toEqual([]);
  });

  it('removes every ambient profile/token var when AWS_ACCESS_KEY_ID is injected', () => {
    const { env, removed } = childEnv(
      { ...AMBIENT, PATH: '/bin', AWS_ACCESS_KEY_ID: 'AKIAOLD', AWS_SECRET_ACCESS_KEY: 'old', AWS_REGION: 'eu-west-1' },
      { AWS_ACCESS_KEY_ID: 'ASIANEW', AWS_SECRET_ACCESS_KEY: 'new' },
    );
    expect(env).toEqual({ PATH: '/bin', AWS_ACCESS_KEY_ID: 'ASIANEW', AWS_SECRET_ACCESS_KEY: 'new', AWS_REGION: 'eu-west-1' });
    expect(removed).toEqual(Object.keys(AMBIENT));
  });

  it('reports only the ambient vars that were really present', () => {
    const { env, removed } = childEnv({ AWS_PROFILE: 'dev', AWS_SECURITY_TOKEN: 't' }, { AWS_ACCESS_KEY_ID: 'ASIANEW' });
    expect(removed).toEqual(['AWS_PROFILE', 'AWS_SECURITY_TOKEN']);
    expect(env).toEqual({ AWS_ACCESS_KEY_ID: 'ASIANEW' });
  });

  it('removes an ambient var even when it is set to the empty string', () => {
    const { env, removed } = childEnv({ AWS_SESSION_TOKEN: '' }, { AWS_ACCESS_KEY_ID: 'ASIANEW' });
    expect(removed).toEqual(['AWS_SESSION_TOKEN']);
    expect('AWS_SESSION_TOKEN' in env).toBe(false);
  });

  it('keeps a var the env injects itself: it is replaced, not removed', () => {
    const { env, removed } = childEnv(
      { ...AMBIENT },
      { AWS_ACCESS_KEY_ID: 'ASIANEW', AWS_SESSION_TOKEN: 'new-token', AWS_CREDENTIAL_EXPIRATION: '2031-01-01T00:00:00.000Z' },
    );
    expect(env.AWS_SESSION_TOKEN).toBe('new-token');
    expect(env.AWS_CREDENTIAL_EXPIRATION).toBe('2031-01-01T00:00:00.000Z');
    expect(removed).toEqual(['AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_SECURITY_TOKEN']);
    expect('AWS_PROFILE' in env).toBe(false);
  });

  it('an env may inject AWS_PROFILE alongside keys, and it is kept', () => {
    const { env, removed } = childEnv({ AWS_PROFILE: 'old' }, { AWS_ACCESS_KEY_ID: 'ASIANEW', AWS_PROFILE: 'chosen' });
    expect(env.AWS_PROFILE).toBe('chosen');
    expect(removed).toEqual([]);
  });

  it.each([
    ['no AWS vars', { FOO: 'x' }],
    ['only a secret key', { AWS_SECRET_ACCESS_KEY: 'new' }],
    ['only a session token', { AWS_SESSION_TOKEN: 'new-token' }],
    ['nothing', {}],
  ])('leaves ambient vars alone when the env injects %s', (_label, injected: Record<string, string>) => {
    const parent = { ...AMBIENT, AWS_ACCESS_KEY_ID: 'AKIAOLD' };
    const { env, removed } = childEnv(parent, injected);
    expect(removed).toEqual([]);
    expect(env).toEqual({ ...parent, ...injected });
  });

  it('does not modify its arguments', () => {
    const parent = { ...AMBIENT, PATH: '/bin' };
    const injected = { AWS_ACCESS_KEY_ID: 'ASIANEW' };
    const parentCopy = { ...parent };
    const injectedCopy = { ...injected };
    childEnv(parent, injected);
    expect(parent).toEqual(parentCopy);
    expect(injected).toEqual(injectedCopy);
  });

  it('names that merely resemble ambient vars are kept', () => {
    const { env, removed } = childEnv(
      { aws_profile: 'lower', AWS_PROFILE_NAME: 'x', MY_AWS_SESSION_TOKEN: 'y' },
      { AWS_ACCESS_KEY_ID: 'ASIANEW' },
    );
    expect(removed).toEqual([]);
    expect(env).toEqual({ aws_profile: 'lower', AWS_PROFILE_NAME: 'x', MY_AWS_SESSION_TOKEN: 'y', AWS_ACCESS_KEY_ID: 'ASIANEW' });
  });
});
