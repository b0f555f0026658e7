// Preloaded with `node --import` by tests: appends the URL of every ES module the process imports to the file
// named by $DSOPS_TEST_IMPORT_LOG (the AWS SDK parts of the built CLI are ES modules, loaded with import()).
import { register } from 'node:module';

const hook = `
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(process.env.DSOPS_TEST_IMPORT_LOG, r.url + '\\n');
  return r;
}`;
register('data:text/javascript,' + encodeURIComponent(hook));
