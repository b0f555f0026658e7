import fs = require('fs');
import { configPath } from '../config/load';
import { didYouMean } from '../config/suggest';
import { DsopsError, EXIT } from '../errors';
import { Pattern, PATTERNS, SCHEMA_URL, template } from '../init/templates';
import { CommandContext } from './context';

/** `dsops init [--pattern P]`: writes a commented dsops.yaml (or --config's path), never over an existing file. */
export function initCommand(ctx: CommandContext, args: { pattern?: string }): number {
  const pattern = (args.pattern ?? 'basic') as Pattern;
  if (!PATTERNS.includes(pattern)) {
    const guess = didYouMean(pattern, PATTERNS);
    throw new DsopsError(`init: unknown --pattern "${pattern}"`, 'E_USAGE', EXIT.CONFIG, `${guess ? `did you mean "${guess}"? ` : ''}patterns: ${PATTERNS.join(', ')}`);
  }
  const file = configPath(ctx.flags.config, ctx.env);
  try {
    // 'wx': created only if nothing is there, in one step, so a file appearing meanwhile is not overwritten either.
    fs.writeFileSync(file, template(pattern, SCHEMA_URL), { flag: 'wx' });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      throw new DsopsError(`init: ${file} already exists; not overwriting it`, 'E_EXISTS', EXIT.RUNTIME, 'remove or rename it first, or write elsewhere with --config PATH');
    }
    throw new DsopsError(`init: cannot write ${file}: ${code ?? (e as Error).message}`, 'E_WRITE', EXIT.RUNTIME);
  }
  ctx.log.info(`wrote ${file} (pattern ${pattern}): edit the account ids and names, then run dsops validate`);
  return 0;
}
