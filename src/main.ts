/**
 * The dsops CLI proper, loaded by cli.ts. `exec` in its everyday form runs without loading yargs (see
 * parseFastExec); everything else, including every usage error, goes through the full parser in cli/program.
 */
import { parseFastExec } from './cli/argv';
import { CommandContext } from './cli/context';
import { execCommand } from './cli/exec';
import { report } from './cli/report';

async function fastExec(args: NonNullable<ReturnType<typeof parseFastExec>>, userEnv: Record<string, string | undefined>): Promise<RunResult> {
  const ctx = new CommandContext(args, userEnv);
  try {
    return { code: await execCommand(ctx, args), ranChild: true };
  } catch (e) {
    return { code: report(e, ctx.log, ctx.source), ranChild: false };
  }
}

export interface RunResult {
  code: number;
  /** The everyday exec path ran through to the child: the run worth keeping compiled code from. */
  ranChild: boolean;
}

/** Runs dsops with `argv` (without node and the script). `userEnv` is what a child inherits. */
export async function run(argv: string[], userEnv: Record<string, string | undefined>): Promise<RunResult> {
  // The SDK's Node-version notice would print on every run, and a dsops user cannot act on it mid-deploy.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const fast = parseFastExec(argv);
  try {
    if (fast) return await fastExec(fast, userEnv);
    // require, not import(): the bundle is CommonJS, and import() would resolve ESM-style (no extensions).
    const program = require('./cli/program') as typeof import('./cli/program');
    return { code: await program.run(argv, userEnv), ranChild: false };
  } catch (e) {
    process.stderr.write(`dsops: ${(e as Error)?.message ?? e}\n`);
    return { code: 1, ranChild: false };
  }
}
