import fs = require('fs');
import os = require('os');
import path = require('path');
import { loadConfig } from '../../src/config/load';
import { PARSED_KEEP, parsedFiles, readParsed, writeParsed } from '../../src/config/parsed-cache';

const YAML = (n: number) => `version: 1\nenvs:\n  dev:\n    N: "${n}"\n`;

describe('parsed-config cache', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsops-parsed-'));
  });

  it('a second load of the same text reads the cached data, and it still locates problems', () => {
    const file = path.join(dir, 'dsops.yaml');
    fs.writeFileSync(file, YAML(1));
    const cache = path.join(dir, 'cache');
    const first = loadConfig(file, { cacheDir: cache });
    expect(parsedFiles(cache)).toHaveLength(1);
    expect(fs.statSync(parsedFiles(cache)[0]).mode & 0o777).toBe(0o600);
    const second = loadConfig(file, { cacheDir: cache });
    expect(second.data).toEqual(first.data);
    expect(second.locate(['envs', 'dev', 'N'])).toMatchObject({ line: 4, col: 8 });
  });

  it('an edited file replaces its entry: one entry per config path', () => {
    const file = path.join(dir, 'dsops.yaml');
    const cache = path.join(dir, 'cache');
    fs.writeFileSync(file, YAML(1));
    loadConfig(file, { cacheDir: cache });
    fs.writeFileSync(file, YAML(2));
    expect((loadConfig(file, { cacheDir: cache }).data as { envs: { dev: { N: string } } }).envs.dev.N).toBe('2');
    expect(parsedFiles(cache)).toHaveLength(1);
    expect(readParsed(cache, file, YAML(2))).toBeDefined();
    expect(readParsed(cache, file, YAML(1))).toBeUndefined();
  });

  it('an entry is used only for exactly the text it was written from, at that path', () => {
    const cache = path.join(dir, 'cache');
    const file = path.join(dir, 'dsops.yaml');
    writeParsed(cache, file, YAML(1), { n: 1 });
    expect(readParsed(cache, file, YAML(1))).toEqual({ n: 1 });
    expect(readParsed(cache, file, YAML(1) + ' ')).toBeUndefined();
    expect(readParsed(cache, path.join(dir, 'other.yaml'), YAML(1))).toBeUndefined();
  });

  it('entries beyond the limit (many config paths) are pruned', () => {
    const cache = path.join(dir, 'cache');
    for (let i = 0; i < PARSED_KEEP + 5; i++) writeParsed(cache, path.join(dir, `c${i}.yaml`), YAML(i), { i });
    expect(parsedFiles(cache)).toHaveLength(PARSED_KEEP);
  });

  it('an entry readable by others is not trusted', () => {
    const cache = path.join(dir, 'cache');
    const file = path.join(dir, 'dsops.yaml');
    writeParsed(cache, file, 'text', { planted: true });
    const [f] = parsedFiles(cache);
    fs.chmodSync(f, 0o644);
    expect(readParsed(cache, file, 'text')).toBeUndefined();
    fs.chmodSync(f, 0o600);
    expect(readParsed(cache, file, 'text')).toEqual({ planted: true });
  });
});
