/** MFA codes (resolve/mfa.ts): one check for every source, the hint names the store's variable, retries on a rejected typed code. */
import { isRejectedMfaCode, mfaCodes, MfaRequest, mfaVariable, rejectedCodeHint, withMfaRetry } from '../../src/resolve/mfa';
import { ResolveError } from '../../src/errors';

const DEVICE = 'arn:aws:iam::123456789012:mfa/alice';
const req = (extra: Partial<MfaRequest> = {}): MfaRequest => ({ store: 'mfa', serialNumber: DEVICE, ...extra });
/** The error the SDK raises for STS's answer to a wrong, expired or reused code. */
const rejected = () => Object.assign(new Error('MultiFactorAuthentication failed with invalid MFA one time pass code. '), { name: 'AccessDenied' });

function typed(...answers: string[]) {
  const asked: string[] = [];
  const prompt = async (message: string) => (asked.push(message), answers.shift() ?? '');
  return { asked, codes: mfaCodes({ interactive: true, prompt }) };
}

async function failure(p: Promise<unknown>): Promise<ResolveError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ResolveError);
  return e as ResolveError;
}

describe('a code from the environment gets the check a typed one gets, before any call', () => {
  it.each([['12345'], ['abcdef'], ['123 456'], ['1234567']])('MFA_TOKEN=%j is refused, naming the store and the variable', async (code) => {
    const codes = mfaCodes({ interactive: false, prompt: async () => '' });
    const e = await failure(codes(req({ configured: code, template: '${MFA_TOKEN}' })));
    expect(e.code).toBe('E_MFA_CODE');
    expect(e.message).toBe(`store mfa: the MFA code from MFA_TOKEN (token_code: \${MFA_TOKEN}) must be exactly 6 digits (got ${code.length} characters)`);
    expect(e.message).not.toContain(code);
  });

  it('a 6-digit code from the environment is used as is', async () => {
    const codes = mfaCodes({ interactive: false, prompt: async () => '' });
    await expect(codes(req({ configured: '012345', template: '${MFA_CODE}' }))).resolves.toBe('012345');
  });
});

describe('the no-terminal hint names the variable the store reads', () => {
  it('token_code: ${MFA_CODE} → MFA_CODE (regression: the hint always said MFA_TOKEN)', async () => {
    const codes = mfaCodes({ interactive: false, prompt: async () => '' });
    const e = await failure(codes(req({ template: '${MFA_CODE}' })));
    expect(e.code).toBe('E_MFA_REQUIRED');
    expect(e.hint).toBe('run with MFA_CODE=<6-digit code> in the environment (the store reads it through token_code: ${MFA_CODE})');
  });

  it('no token_code → suggests adding one', async () => {
    const codes = mfaCodes({ interactive: false, prompt: async () => '' });
    expect((await failure(codes(req()))).hint).toContain('set token_code: ${MFA_TOKEN}');
  });

  it.each([
    ['${MFA_CODE}', 'MFA_CODE'],
    ['${OTP:-}', 'OTP'],
    ['123456', undefined],
  ])('mfaVariable(%j) = %j', (template, variable) => {
    expect(mfaVariable({ template })).toBe(variable);
  });
});

describe('withMfaRetry', () => {
  it('asks for a new code when AWS rejects a typed one, saying codes are single-use', async () => {
    const { asked, codes } = typed('111111', '222222');
    const sent: string[] = [];
    const out = await withMfaRetry(codes, req(), async (code) => {
      sent.push(code);
      if (code === '111111') throw rejected();
      return 'session';
    });
    expect(out).toBe('session');
    expect(sent).toEqual(['111111', '222222']);
    expect(asked).toHaveLength(2);
    expect(asked[1]).toMatch(/^AWS rejected that MFA code, and codes are single-use: wait for a new one \(try 2 of 3\)\. MFA code for store mfa/);
  });

  it('gives up after three tries with AWS error', async () => {
    const { asked, codes } = typed('111111', '222222', '333333', '444444');
    let sends = 0;
    const e = await withMfaRetry(codes, req(), async () => {
      sends++;
      throw rejected();
    }).catch((err: Error) => err);
    expect(sends).toBe(3);
    expect(asked).toHaveLength(3);
    expect((e as Error).name).toBe('AccessDenied');
  });

  it('does not retry a code from the environment: nobody is there to type another', async () => {
    const codes = mfaCodes({ interactive: true, prompt: async () => '999999' });
    let sends = 0;
    await expect(
      withMfaRetry(codes, req({ configured: '123456', template: '${MFA_TOKEN}' }), async () => {
        sends++;
        throw rejected();
      }),
    ).rejects.toThrow('MultiFactorAuthentication failed');
    expect(sends).toBe(1);
  });

  it('does not retry an AccessDenied that is not about the code (a trust policy)', async () => {
    const { asked, codes } = typed('111111', '222222');
    const denied = Object.assign(new Error('User is not authorized to perform: sts:AssumeRole'), { name: 'AccessDenied' });
    await expect(withMfaRetry(codes, req(), async () => Promise.reject(denied))).rejects.toBe(denied);
    expect(asked).toHaveLength(1);
  });

  it('later stores on the same device get the accepted code, not the rejected one', async () => {
    const { codes } = typed('111111', '222222');
    await withMfaRetry(codes, req(), async (code) => {
      if (code === '111111') throw rejected();
      return code;
    });
    await expect(codes(req({ store: 'other' }))).resolves.toBe('222222');
  });
});

describe('isRejectedMfaCode', () => {
  it.each([
    [rejected(), true],
    [Object.assign(new Error('MultiFactorAuthentication failed, unable to validate MFA code.'), { name: 'AccessDenied' }), true],
    [Object.assign(new Error('not authorized'), { name: 'AccessDenied' }), false],
    [Object.assign(new Error('MultiFactorAuthentication failed'), { name: 'ExpiredToken' }), false],
    [undefined, false],
  ])('%p → %p', (e, expected) => {
    expect(isRejectedMfaCode(e)).toBe(expected);
  });
});

describe('rejectedCodeHint: what to do once AWS has rejected the last code', () => {
  it('typed codes, all tries used: points at the device', () => {
    expect(rejectedCodeHint(req(), 'prompt')).toBe(
      `AWS rejected 3 codes typed for device ${DEVICE}: check that serial_number names the device the codes come from, and that its clock is right`,
    );
  });

  it('a code from the environment: names the variable the store reads', () => {
    expect(rejectedCodeHint(req({ configured: '123456', template: '${MFA_CODE}' }), 'config')).toMatch(
      /^AWS rejected the code from MFA_CODE \(token_code: \$\{MFA_CODE\}\); .* run again with MFA_CODE set to the code your device shows now/,
    );
  });

  it('a fixed code written in the config: says to read it from a variable', () => {
    expect(rejectedCodeHint(req({ configured: '123456', template: '123456' }), 'config')).toMatch(/^token_code holds a fixed code/);
  });

  it('codes from neither (the credential server never asks): no MFA hint, so the generic one applies', () => {
    expect(rejectedCodeHint(req(), undefined)).toBeUndefined();
  });
});
