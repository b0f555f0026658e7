import type { ConfigIssue } from '../errors';
import type { ConfigSource } from './source';

/**
 * Gives every issue its `file:line:col`, the one place positions are worked out: the rules that find
 * problems name paths into the document, never positions.
 */
export function locateIssues(issues: ConfigIssue[], source: ConfigSource): ConfigIssue[] {
  for (const i of issues) i.loc ??= source.locate(i.path, i.atKey);
  return issues;
}
