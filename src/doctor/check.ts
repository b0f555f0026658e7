/** How one doctor check came out. `fail` makes `dsops doctor` exit non-zero; `warn` does not. */
export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

/** One line of `dsops doctor`: what was checked, what was found, and what to do about a problem. */
export interface CheckResult {
  name: string;
  status: CheckStatus;
  detail: string;
  hint?: string;
  /** Located config problems (`file:line:col: error[CODE] message`), shown under the config line. */
  issues?: string[];
}

export const ok = (name: string, detail: string): CheckResult => ({ name, status: 'ok', detail });
export const skip = (name: string, detail: string): CheckResult => ({ name, status: 'skip', detail });
export const warn = (name: string, detail: string, hint?: string): CheckResult => ({ name, status: 'warn', detail, ...(hint ? { hint } : {}) });
export const fail = (name: string, detail: string, hint?: string): CheckResult => ({ name, status: 'fail', detail, ...(hint ? { hint } : {}) });
