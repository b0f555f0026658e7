'use strict';
// Waits for each moto_server to exit, so jest does not report open handles at the end of a run.
module.exports = async function globalTeardown() {
  await Promise.all(
    (globalThis.__MOTO_SERVERS__ ?? []).map(
      (s) =>
        new Promise((resolve) => {
          if (s.proc.exitCode !== null || s.proc.signalCode !== null) return resolve();
          const timer = setTimeout(() => {
            s.proc.kill('SIGKILL');
            resolve();
          }, 3000);
          s.proc.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          s.proc.kill('SIGTERM');
        }),
    ),
  );
};
