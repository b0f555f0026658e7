#!/usr/bin/env node
/**
 * dsops entry point. Turns on Node's compile cache (Node >= 22.1, see compile-cache.ts) before loading the
 * CLI proper (main.ts, bundled as dist/main.js), so that and everything it loads come compiled from disk.
 */
import { cacheDir } from './cache/cache-dir';
import { parseArgv } from './cli/argv';
import { enableCompileCache } from './compile-cache';

// Node's default SIGUSR1 action opens the inspector on 127.0.0.1:9229: in a process that holds
// credentials, a signal that arrives before the child starts must do nothing instead.
process.on('SIGUSR1', () => undefined);

// Snapshot before dsops sets anything on itself: this is what the child inherits.
const userEnv: Record<string, string | undefined> = { ...process.env };

// --no-cache means dsops neither reads nor writes its cache dir, compiled code included. A line only yargs
// parses is read for the flag alone (the child's own --no-cache, at worst, turns the cache off for one run).
const parsed = parseArgv(process.argv.slice(2));
const noCache = parsed.kind === 'ok' ? parsed.parsed.flags.cache === false : process.argv.includes('--no-cache');
let dir: string | undefined;
try {
  dir = noCache ? undefined : cacheDir(userEnv);
} catch {
  dir = undefined; // no home directory: run without the compile cache
}
enableCompileCache(dir);

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { run } = require('./main') as typeof import('./main');
run(process.argv.slice(2), userEnv).then((code) => {
  process.exitCode = code;
  // A failure may leave behind a request nothing can cancel (the SDK's container-credentials fetch takes
  // no signal and, hung, keeps its socket open): its error is reported, so nothing is worth waiting for
  // once what was written has reached the pipes (writes to a pipe are asynchronous on POSIX).
  if (code !== 0) process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
});
