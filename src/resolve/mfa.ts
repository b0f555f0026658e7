import { ResolveError } from '../errors';

/** Asks the user for a code; injected so tests and library callers can answer without a terminal. */
export type MfaPrompt = (message: string) => Promise<string>;

export interface MfaRequest {
  store: string;
  serialNumber: string;
  /** The code from config (`token_code`, usually `${MFA_TOKEN}`), if any. */
  configured?: string;
  /** `token_code` as written (`${MFA_CODE}`), so messages name the variable this store reads. */
  template?: string;
}

/** Where a code came from: only one typed at the prompt can be asked for again. */
export type MfaSource = 'prompt' | 'config';

/** Hands out one code per device per run, and a new one when AWS rejected the last (see withMfaRetry). */
export interface MfaCodes {
  (req: MfaRequest): Promise<string>;
  /** Where the code for this device came from (after it was handed out). */
  sourceOf(req: MfaRequest): MfaSource | undefined;
  /** Forgets the rejected code and asks for a new one; `attempt` counts from 2. */
  again(req: MfaRequest, attempt: number, of: number): Promise<string>;
}

export interface MfaOptions {
  interactive: boolean | (() => boolean);
  prompt: MfaPrompt;
}

const SIX_DIGITS = /^\d{6}$/;
// `${NAME}` and `${NAME:-default}`, as config/interpolate.ts reads them.
const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-[^}]*)?\}/;

/** The environment variable a store's token_code reads, e.g. MFA_CODE for `${MFA_CODE}`. */
export function mfaVariable(req: Pick<MfaRequest, 'template'>): string | undefined {
  return req.template ? REFERENCE.exec(req.template)?.[1] : undefined;
}

/**
 * Hands out MFA codes. One code per device per run: AWS codes are single-use,
 * so asking twice for the same device would only produce a code that fails.
 */
export function mfaCodes(opts: MfaOptions): MfaCodes {
  const byDevice = new Map<string, { code: Promise<string>; source: MfaSource }>();
  const codes = (req: MfaRequest): Promise<string> => {
    let entry = byDevice.get(req.serialNumber);
    if (!entry) {
      entry = req.configured !== undefined ? { code: fromConfig(req), source: 'config' } : { code: fromPrompt(req, opts), source: 'prompt' };
      byDevice.set(req.serialNumber, entry);
    }
    return entry.code;
  };
  codes.sourceOf = (req: MfaRequest) => byDevice.get(req.serialNumber)?.source;
  codes.again = (req: MfaRequest, attempt: number, of: number) => {
    const code = fromPrompt(req, opts, `AWS rejected that MFA code, and codes are single-use: wait for a new one (try ${attempt} of ${of}). `);
    byDevice.set(req.serialNumber, { code, source: 'prompt' });
    return code;
  };
  return codes;
}

/** A code from the environment or the config gets the same check as a typed one, before any call. */
async function fromConfig(req: MfaRequest): Promise<string> {
  const code = req.configured ?? '';
  if (!SIX_DIGITS.test(code)) {
    const variable = mfaVariable(req);
    const where = variable ? `${variable} (token_code: ${req.template})` : 'token_code';
    throw new ResolveError(
      `store ${req.store}: the MFA code from ${where} must be exactly 6 digits (got ${code.length} characters)`,
      'E_MFA_CODE',
      req.store,
      `set ${variable ?? 'token_code'} to the 6-digit code your MFA device shows now, with no spaces`,
    );
  }
  return code;
}

async function fromPrompt(req: MfaRequest, opts: MfaOptions, preface = ''): Promise<string> {
  if (!(typeof opts.interactive === 'function' ? opts.interactive() : opts.interactive)) {
    const variable = mfaVariable(req);
    throw new ResolveError(
      `store ${req.store}: needs an MFA code for device ${req.serialNumber}, and there is no terminal to ask on`,
      'E_MFA_REQUIRED',
      req.store,
      variable
        ? `run with ${variable}=<6-digit code> in the environment (the store reads it through token_code: ${req.template})`
        : 'set token_code: ${MFA_TOKEN} on the store and run with MFA_TOKEN=<6-digit code> in the environment',
    );
  }
  const code = (await opts.prompt(`${preface}MFA code for store ${req.store} (device ${req.serialNumber}): `)).trim();
  if (!SIX_DIGITS.test(code)) {
    throw new ResolveError(`store ${req.store}: the MFA code must be exactly 6 digits`, 'E_MFA_CODE', req.store);
  }
  return code;
}

/** Tries in all for a code typed at the prompt that AWS rejects. */
export const MFA_TRIES = 3;

/**
 * Whether AWS refused the call because of the code itself (wrong, expired or already used), as opposed to
 * a trust policy: STS answers AccessDenied with "MultiFactorAuthentication failed ..." for those.
 */
export function isRejectedMfaCode(e: unknown): boolean {
  const err = e as { name?: unknown; Code?: unknown; message?: unknown } | undefined;
  const code = typeof err?.name === 'string' ? err.name : typeof err?.Code === 'string' ? err.Code : '';
  return code === 'AccessDenied' && typeof err?.message === 'string' && /MultiFactorAuthentication failed/i.test(err.message);
}

/**
 * Runs `send` with the device's code. When AWS rejects a code typed at the prompt, asks for a new one
 * (the rejected code cannot be reused) and sends again, up to MFA_TRIES in all. A code from the
 * environment or the config is not retried: nobody is there to type another.
 */
export async function withMfaRetry<T>(codes: MfaCodes, req: MfaRequest, send: (code: string) => Promise<T>): Promise<T> {
  let code = await codes(req);
  for (let attempt = 1; ; attempt++) {
    try {
      return await send(code);
    } catch (e) {
      if (!isRejectedMfaCode(e) || codes.sourceOf(req) !== 'prompt' || attempt >= MFA_TRIES) throw e;
      code = await codes.again(req, attempt + 1, MFA_TRIES);
    }
  }
}

/**
 * The hint for a code AWS still rejected when no try was left, or undefined if the codes did not come from
 * this run's prompt or config (the credential server's, which never asks). What to do depends on the source:
 * typed codes were rejected MFA_TRIES times, which points at the device; an environment code is simply used up.
 */
export function rejectedCodeHint(req: MfaRequest, source: MfaSource | undefined): string | undefined {
  if (source === 'prompt') {
    return `AWS rejected ${MFA_TRIES} codes typed for device ${req.serialNumber}: check that serial_number names the device the codes come from, and that its clock is right`;
  }
  if (source !== 'config') return undefined;
  const variable = mfaVariable(req);
  if (!variable) return 'token_code holds a fixed code, and each code works once: use token_code: ${MFA_TOKEN} and pass the current code';
  return `AWS rejected the code from ${variable} (token_code: ${req.template}); each code works once and changes every 30 s: run again with ${variable} set to the code your device shows now, or unset it to be asked on the terminal`;
}
