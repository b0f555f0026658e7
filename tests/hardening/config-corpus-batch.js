#!/usr/bin/env node
/**
 * Runs many dsops invocations in one process through the built CLI's own entry (dist/main.js `run`), so a
 * corpus of hundreds of configs does not pay node's start-up hundreds of times. Reads a JSON list of
 * `{ args, env }` from the file named by argv[2]; prints a JSON list of `{ code, stderr }` on stdout.
 * Only stderr is captured (dsops writes every diagnostic there); stdout carries the results.
 */
const fs = require('fs');
const path = require('path');

const jobs = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const { run } = require(path.resolve(__dirname, '../../dist/main.js'));
const realWrite = process.stderr.write.bind(process.stderr);

(async () => {
  const results = [];
  for (const job of jobs) {
    let stderr = '';
    process.stderr.write = (chunk) => {
      stderr += String(chunk);
      return true;
    };
    let code;
    try {
      code = await run(job.args, job.env);
    } catch (e) {
      stderr += `batch runner: run threw: ${e && e.stack}`;
      code = -1;
    } finally {
      process.stderr.write = realWrite;
    }
    results.push({ code, stderr });
  }
  process.stdout.write(JSON.stringify(results));
})();
