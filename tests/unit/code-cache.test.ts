/**
 * The code cache against real V8. Each load runs in a fresh node process (through the built
 * dist/code-cache.js): within one process V8 keeps compiled scripts in memory and never reads the cache.
 */
import { spawnSync } from 'child_process';
import fs = require('fs');
import os = require('os');
import path = require('path');
import { codeCacheFile, codeCacheFiles } from '../../src/code-cache';

const BUILT = path.resolve(__dirname, '../../dist/code-cache.js');

interface Load {
  usedCache: boolean;
  where: string;
  twice: number;
}

describe('requireWithCodeCache', () => {
  let dir: string;
  let file: string;
  let cache: string;
  /** Loads `file` in a new node, calls its functions (so they are compiled), then save()s unless told not to. */
  const load = (cacheDir: string | undefined = cache, save = true): Load => {
    const script = `
      const { requireWithCodeCache } = require(${JSON.stringify(BUILT)});
      const m = requireWithCodeCache(${JSON.stringify(file)}, ${JSON.stringify(cacheDir)});
      const out = { usedCache: m.usedCache, where: m.exports.where(), twice: m.exports.twice(21) };
      if (${save}) m.save();
      process.stdout.write(JSON.stringify(out));`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`load failed: ${r.stderr}`);
    return JSON.parse(r.stdout) as Load;
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsops-codecache-'));
    file = path.join(dir, 'mod.js');
    cache = path.join(dir, 'cache');
    // Functions that only run when called, as in the CLI: the cache should hold them once they have run.
    fs.writeFileSync(
      file,
      "#!/usr/bin/env node\n'use strict';\nconst path = require('path');\nexports.where = () => path.basename(__filename) + ':' + path.basename(__dirname);\nexports.twice = (n) => n * 2;\n",
    );
  });

  it('runs the file as CommonJS (exports, require, __filename, __dirname, a shebang line)', () => {
    expect(load()).toMatchObject({ where: `mod.js:${path.basename(dir)}`, twice: 42 });
  });

  it('the first run has no cache; save() writes one, 0600 in a 0700 dir, that the next run uses unchanged', () => {
    expect(load().usedCache).toBe(false);
    const written = codeCacheFile(cache, file);
    expect(fs.statSync(written).mode & 0o777).toBe(0o600);
    expect(fs.statSync(cache).mode & 0o777).toBe(0o700);
    const before = fs.readFileSync(written);
    expect(load()).toEqual({ usedCache: true, where: `mod.js:${path.basename(dir)}`, twice: 42 });
    expect(fs.readFileSync(written).equals(before)).toBe(true);
  });

  it('a rebuilt file gets a new cache name, and saving it removes the stale one', () => {
    load();
    const old = codeCacheFile(cache, file);
    fs.appendFileSync(file, 'exports.more = 1;\n');
    expect(codeCacheFile(cache, file)).not.toBe(old);
    expect(load().usedCache).toBe(false);
    expect(codeCacheFiles(cache)).toEqual([path.basename(codeCacheFile(cache, file))]);
    expect(load().usedCache).toBe(true);
  });

  it('garbage in the cache file is rejected by V8: the file still runs, and save() replaces it', () => {
    load();
    fs.writeFileSync(codeCacheFile(cache, file), Buffer.alloc(4096, 7), { mode: 0o600 });
    expect(load()).toMatchObject({ usedCache: false, twice: 42 });
    expect(load().usedCache).toBe(true);
  });

  it('a cache file others can read, or a symlink, is not used', () => {
    load();
    const cf = codeCacheFile(cache, file);
    fs.chmodSync(cf, 0o644);
    expect(load(cache, false).usedCache).toBe(false);
    fs.chmodSync(cf, 0o600);
    expect(load(cache, false).usedCache).toBe(true);
    const elsewhere = path.join(dir, 'elsewhere.bin');
    fs.renameSync(cf, elsewhere);
    fs.symlinkSync(elsewhere, cf);
    expect(load(cache, false).usedCache).toBe(false);
  });

  it('no cache dir, or an unwritable one: runs from source and save() does nothing', () => {
    expect(load(undefined)).toMatchObject({ usedCache: false, twice: 42 });
    const blocked = path.join(dir, 'blocker');
    fs.writeFileSync(blocked, 'a file, not a dir');
    expect(load(path.join(blocked, 'cache'))).toMatchObject({ usedCache: false, twice: 42 });
    expect(load(path.join(blocked, 'cache')).usedCache).toBe(false);
  });
});
