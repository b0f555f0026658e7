import { CheckResult, fail, ok, skip, warn } from './check';

/** Over this, a warning: the SDK corrects small skews, but other tools (and MFA codes) notice. */
export const SKEW_WARN_MS = 60_000;
/** SigV4 rejects a request signed more than 5 minutes away from AWS's clock (RequestTimeTooSkewed). */
export const SKEW_FAIL_MS = 5 * 60_000;

/**
 * Compares the local clock, read when STS's answer arrived, with the answer's Date header. The header has
 * one-second resolution and the answer took some time to arrive, so only skews far above both count.
 */
export function checkClockSkew(serverDate: Date | undefined, localMs: number): CheckResult {
  if (!serverDate) return skip('clock', "STS's answer had no Date header to compare with");
  const skewMs = localMs - serverDate.getTime();
  const secs = Math.round(Math.abs(skewMs) / 1000);
  const how = `${secs} s ${skewMs >= 0 ? 'ahead of' : 'behind'} STS`;
  const hint = 'sync the clock (timedatectl set-ntp true, or your OS\'s time settings)';
  if (Math.abs(skewMs) > SKEW_FAIL_MS) return fail('clock', `${how}: AWS rejects requests signed more than 5 min off`, hint);
  if (Math.abs(skewMs) > SKEW_WARN_MS) return warn('clock', `${how}`, hint);
  return ok('clock', `within ${Math.max(secs, 1)} s of STS`);
}
