import type { ConfigIssue } from '../../errors';
import type { StoreSpec } from '../types';

/**
 * AWS MFA codes are single-use: two stores on one device in one run would need two codes. Env-wide, so
 * it runs over the specs of the stores one env needs; any type's store that names an `mfaDevice` counts.
 */
export function checkMfaDevices(env: string, specs: StoreSpec[]): ConfigIssue[] {
  const byDevice = new Map<string, StoreSpec[]>();
  for (const s of specs) {
    if (!s.mfaDevice) continue;
    const list = byDevice.get(s.mfaDevice) ?? [];
    list.push(s);
    byDevice.set(s.mfaDevice, list);
  }
  const issues: ConfigIssue[] = [];
  for (const [device, list] of byDevice) {
    if (list.length < 2) continue;
    const names = list.map((s) => s.name);
    issues.push({
      code: 'E_MFA_DEVICE_SHARED',
      message: `env ${env}: stores ${names.join(', ')} all use MFA device ${device}, but an MFA code can be used only once, so one run would need ${list.length} codes`,
      hint: `add one store with "operation: get-session-token" and serial_number ${device}, remove serial_number/token_code from ${names.join(', ')}, and set their credentials_from to it (roles chained from it are capped at 1 hour)`,
      path: ['secretStores', list[1].name, 'serial_number'],
    });
  }
  return issues;
}
