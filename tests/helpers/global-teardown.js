'use strict';
module.exports = async function globalTeardown() {
  for (const s of globalThis.__MOTO_SERVERS__ ?? []) s.proc.kill('SIGTERM');
};
