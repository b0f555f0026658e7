import type { ConfigIssue } from '../../errors';

/**
 * Where the preparation steps put the problems they find. Each step reports a problem once (steps that
 * run per env remember what they reported), so nothing is filtered afterwards. Positions are added in
 * one place, by locateIssues, when the problems are thrown.
 */
export class IssueSink {
  readonly issues: ConfigIssue[] = [];
  private readonly once = new Set<string>();

  add(issue: ConfigIssue): void {
    this.issues.push(issue);
  }

  /** Reports `issue` unless a problem with the same `key` was reported already (e.g. one store's edge, checked for two envs). */
  addOnce(key: string, issue: ConfigIssue): void {
    if (this.once.has(key)) return;
    this.once.add(key);
    this.issues.push(issue);
  }
}
