// Starts one moto_server per jest worker on a free loopback port. Tests reset their own server
// between cases, so workers never see each other's state.
'use strict';
const { hasMoto, startMoto } = require('../../scripts/moto-server');

module.exports = async function globalSetup(globalConfig) {
  // The SDK's Node-version notice repeats in every worker; the tests are not about it.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  if (!hasMoto()) {
    const msg = [
      '',
      '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
      '!! moto_server not found: integration and e2e suites against the AWS   !!',
      '!! protocol are SKIPPED. Install it with: pip install "moto[server]"    !!',
      '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
      '',
    ].join('\n');
    if (process.env.CI === 'true') throw new Error('moto_server is required when CI=true (pip install "moto[server]")' + msg);
    process.stderr.write(msg + '\n');
    process.env.DSOPS_TEST_MOTO_URLS = '';
    return;
  }
  const n = Math.max(1, Number(globalConfig.maxWorkers) || 1);
  const servers = await Promise.all(Array.from({ length: n }, startMoto));
  globalThis.__MOTO_SERVERS__ = servers;
  process.env.DSOPS_TEST_MOTO_URLS = servers.map((s) => s.url).join(',');
};
