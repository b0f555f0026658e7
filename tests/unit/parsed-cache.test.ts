/**
 * The parsed-config cache is gone (issue 8 item 5): it kept the config's text, token_code included, and
 * used its data without checking it again. A config is parsed on every run and nothing of it is written.
 */
import fs = require('fs');
import os = require('os');
import path = require('path');
import { loadConfig } from '../../src/config/load';
import { parsedFiles } from '../../src/config/parsed-cache';

describe('no parsed-config cache', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsops-parsed-'));
  });

  it('loading a config, even with a cache dir, writes nothing of it to disk', () => {
    const file = path.join(dir, 'dsops.yaml');
    fs.writeFileSync(file, 'version: 1\nsecretStores:\n  m:\n    type: aws.sts\n    operation: get-session-token\n    serial_number: arn:aws:iam::123456789012:mfa/me\n    token_code: "123456"\nenvs:\n  dev:\n    N: "1"\n');
    const cache = path.join(dir, 'cache');
    loadConfig(file, { cacheDir: cache });
    loadConfig(file, { cacheDir: cache });
    expect(fs.existsSync(cache) ? fs.readdirSync(cache) : []).toEqual([]);
  });

  it('an edited file is read as it is now', () => {
    const file = path.join(dir, 'dsops.yaml');
    fs.writeFileSync(file, 'version: 1\nenvs:\n  dev:\n    N: "1"\n');
    loadConfig(file, { cacheDir: path.join(dir, 'cache') });
    fs.writeFileSync(file, 'version: 1\nenvs:\n  dev:\n    N: "2"\n');
    expect((loadConfig(file, { cacheDir: path.join(dir, 'cache') }).data as { envs: { dev: { N: string } } }).envs.dev.N).toBe('2');
  });

  it('entries an older dsops left behind are still found, so cache clear removes them', () => {
    fs.writeFileSync(path.join(dir, 'config-0123456789abcdef.json'), '{}');
    fs.writeFileSync(path.join(dir, 'sts-0123456789abcdef.json'), '{}');
    expect(parsedFiles(dir)).toEqual([path.join(dir, 'config-0123456789abcdef.json')]);
  });
});
