/**
 * The credential endpoint's MFA codes: none. A request must never wait for a person, and the terminal
 * belongs to the child, so a refresh that needs a new code fails at once with what to do. The MFA
 * session itself stays in the shared cache, so while it is valid, refreshes of the roles below it use it.
 */
import { ResolveError } from '../errors';
import type { MfaCodes, MfaRequest } from '../resolve/mfa';

export function noMfaCodes(hint: string): MfaCodes {
  const refuse = (req: MfaRequest): Promise<string> =>
    Promise.reject(
      new ResolveError(
        `store ${req.store}: the session has expired and a new one needs an MFA code for device ${req.serialNumber}; the credential endpoint never waits for a code`,
        'E_MFA_REQUIRED',
        req.store,
        hint,
      ),
    );
  const codes = refuse as MfaCodes;
  codes.sourceOf = () => undefined;
  codes.again = (req) => refuse(req);
  return codes;
}
