/**
 * Hardening suites (tests/hardening) record what they tried, so `npm run test:hardening` can print the
 * totals: bad inputs tried, boundary inputs accepted, faults injected, leaks found. Outside that script
 * (plain `npm test`) DSOPS_HARDENING_REPORT is unset and nothing is written.
 */
import * as fs from 'fs';
import * as path from 'path';

export interface HardeningCounts {
  /** Invalid inputs (configs, argv, cache files) that were rejected as they should be. */
  badInputs?: number;
  /** Valid inputs at the edge of a limit that were accepted. */
  boundaryInputs?: number;
  /** Faults injected (hangs, resets, 5xx, garbage bodies, damaged files). */
  faults?: number;
  /** Canary checks made for secrets in output, argv and files. */
  leakChecks?: number;
  /** Canary secrets found where they must not be; anything but 0 also fails the suite. */
  leaks?: number;
}

/** Adds `counts` to the suite's totals (one JSON file per suite and jest worker). */
export function recordHardening(suite: string, counts: HardeningCounts): void {
  const dir = process.env.DSOPS_HARDENING_REPORT;
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${suite}-${process.env.JEST_WORKER_ID ?? '0'}.json`);
  let prev: HardeningCounts = {};
  try {
    prev = JSON.parse(fs.readFileSync(file, 'utf8')) as HardeningCounts;
  } catch {
    // first record of this suite in this worker
  }
  const sum: Record<string, number> = { ...(prev as Record<string, number>) };
  for (const [k, v] of Object.entries(counts)) sum[k] = (sum[k] ?? 0) + (v ?? 0);
  fs.writeFileSync(file, JSON.stringify(sum));
}
