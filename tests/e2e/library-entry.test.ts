/**
 * The package's own entry (package.json "main": dist/index.js), as a library user loads it: the built
 * files must carry everything they read (a generated JSON once stayed behind in src/).
 */
import * as fs from 'fs';
import * as path from 'path';
import { project } from '../helpers/cli';

const MAIN = path.resolve(__dirname, '../..', (JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as { main: string }).main);

test('dist/index.js loads, validates a config with every store type and names a bad one', () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const dsops = require(MAIN) as typeof import('../../src');
  const dir = project(`version: 1
secretStores:
  role: { type: aws.sts, role_arn: "arn:aws:iam::123456789012:role/R" }
  sm: { type: aws.secretsmanager, credentials_from: role }
  ssm: { type: aws.ssm, credentials_from: role }
envs:
  e:
    A: { from: { store: sm, key: app/a } }
    B: { from: { store: ssm, key: /app/b } }
`);
  const src = dsops.loadConfig(path.join(dir, 'dsops.yaml'));
  const [env] = dsops.prepareAll(src, dsops.makeScope({}, new Date()));
  expect(env.order).toEqual(['role', 'sm', 'ssm']);
  expect([...dsops.STORE_TYPES.keys()].sort()).toEqual(['aws.secretsmanager', 'aws.ssm', 'aws.sts']);
  fs.writeFileSync(path.join(dir, 'bad.yaml'), 'version: 1\nsecretStores:\n  x: { type: aws.stss }\n');
  const bad = dsops.loadConfig(path.join(dir, 'bad.yaml'));
  expect(() => dsops.prepareAll(bad, dsops.makeScope({}, new Date()))).toThrow(dsops.ConfigError);
});
