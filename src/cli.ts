#!/usr/bin/env node
/**
 * dsops entry point: loads the CLI (main.ts, bundled as dist/main.js) through V8's code cache, so a warm
 * `dsops exec` does not recompile it on every start (see code-cache.ts), then runs it.
 */
import path = require('path');
import { cacheDir } from './cache/cache-dir';
import { requireWithCodeCache } from './code-cache';

// Node's default SIGUSR1 action opens the inspector on 127.0.0.1:9229: in a process that holds
// credentials, a signal that arrives before the child starts must do nothing instead.
process.on('SIGUSR1', () => undefined);

// Snapshot before dsops sets anything on itself: this is what the child inherits.
const userEnv: Record<string, string | undefined> = { ...process.env };

// --no-cache means dsops neither reads nor writes its cache dir, this cache included. Matched anywhere on the
// line, before argv is parsed: at worst a child's own --no-cache makes that one run compile from source.
let dir: string | undefined;
try {
  dir = process.argv.includes('--no-cache') ? undefined : cacheDir(userEnv);
} catch {
  dir = undefined; // no home directory: run without the code cache
}
// main.js sits beside this file, so this file's require resolves what main.js requires.
const loaded = requireWithCodeCache(path.join(__dirname, 'main.js'), dir, require);
const { run } = loaded.exports as typeof import('./main');
run(process.argv.slice(2), userEnv).then(({ code, ranChild }) => {
  process.exitCode = code;
  // Only a run down the everyday path, as far as the child, has compiled what that path needs.
  if (ranChild) loaded.save();
  // A failure may leave behind a request nothing can cancel (the SDK's container-credentials fetch takes
  // no signal and, hung, keeps its socket open): its error is reported, so nothing is worth waiting for
  // once what was written has reached the pipes (writes to a pipe are asynchronous on POSIX).
  else if (code !== 0) process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
});
