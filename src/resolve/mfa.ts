import { ResolveError } from '../errors';

/** Asks the user for a code; injected so tests and library callers can answer without a terminal. */
export type MfaPrompt = (message: string) => Promise<string>;

export interface MfaRequest {
  store: string;
  serialNumber: string;
  /** The code from config (`token_code`, usually `${MFA_TOKEN}`), if any. */
  configured?: string;
}

/**
 * Hands out MFA codes. One code per device per run: AWS codes are single-use,
 * so asking twice for the same device would only produce a code that fails.
 */
export function mfaCodes(opts: { interactive: boolean | (() => boolean); prompt: MfaPrompt }): (req: MfaRequest) => Promise<string> {
  const byDevice = new Map<string, Promise<string>>();
  return (req) => {
    let p = byDevice.get(req.serialNumber);
    if (!p) {
      p = obtain(req, opts);
      byDevice.set(req.serialNumber, p);
    }
    return p;
  };
}

async function obtain(req: MfaRequest, opts: { interactive: boolean | (() => boolean); prompt: MfaPrompt }): Promise<string> {
  if (req.configured) return req.configured;
  if (!(typeof opts.interactive === 'function' ? opts.interactive() : opts.interactive)) {
    throw new ResolveError(
      `store ${req.store}: needs an MFA code for device ${req.serialNumber}, and there is no terminal to ask on`,
      'E_MFA_REQUIRED',
      req.store,
      'set token_code: ${MFA_TOKEN} on the store and run with MFA_TOKEN=<6-digit code> in the environment',
    );
  }
  const code = (await opts.prompt(`MFA code for store ${req.store} (device ${req.serialNumber}): `)).trim();
  if (!/^\d{6}$/.test(code)) {
    throw new ResolveError(`store ${req.store}: the MFA code must be exactly 6 digits`, 'E_MFA_CODE', req.store);
  }
  return code;
}
