/**
 * The code cache against real V8. Each load runs in a fresh node process (through the built
 * dist/code-cache.js): within one process V8 keeps compiled scripts in memory and never reads the cache.
 */
import { spawnSync } from 'child_process';
import fs = require('fs');
import os = require('os');
import path = require('path');
import { bannerBuildId } from '../../src/build-id';
import { CODE_CACHE_KEEP, codeCacheFile, codeCacheFiles } from '../../src/code-cache';

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
      const m = requireWithCodeCache(${JSON.stringify(file)}, ${JSON.stringify(cacheDir)}, require('module').createRequire(${JSON.stringify(file)}));
      const out = { usedCache: m.usedCache, where: m.exports.where(), twice: m.exports.twice(21) };
      if (${save}) m.save();
      process.stdout.write(JSON.stringify(out));`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`load failed: ${r.stderr}`);
    return JSON.parse(r.stdout) as Load;
  };

  /** The cache file's name as a node started like `load`'s sees it (the name depends on node's flags). */
  const cacheFileOf = (): string =>
    spawnSync(process.execPath, ['-e', `process.stdout.write(require(${JSON.stringify(BUILT)}).codeCacheFile(${JSON.stringify(cache)}, ${JSON.stringify(file)}))`], {
      encoding: 'utf8',
    }).stdout;

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
    const written = cacheFileOf();
    expect(fs.statSync(written).mode & 0o777).toBe(0o600);
    expect(fs.statSync(cache).mode & 0o777).toBe(0o700);
    const before = fs.readFileSync(written);
    expect(load()).toEqual({ usedCache: true, where: `mod.js:${path.basename(dir)}`, twice: 42 });
    expect(fs.readFileSync(written).equals(before)).toBe(true);
  });

  it('a rebuilt file gets a new cache name; builds sharing the dir keep theirs, up to a few', () => {
    load();
    const first = cacheFileOf();
    fs.appendFileSync(file, 'exports.more = 1;\n');
    expect(cacheFileOf()).not.toBe(first);
    expect(load().usedCache).toBe(false);
    expect(load().usedCache).toBe(true);
    expect(codeCacheFiles(cache)).toHaveLength(2); // the first build's file is still there for it
    for (let i = 0; i < CODE_CACHE_KEEP + 2; i++) {
      fs.appendFileSync(file, `exports.v${i} = ${i};\n`);
      load();
    }
    const names = codeCacheFiles(cache).map((f) => path.basename(f));
    expect(names).toHaveLength(CODE_CACHE_KEEP);
    expect(names).toContain(path.basename(cacheFileOf()));
    expect(names).not.toContain(path.basename(first));
  });

  it('garbage in the cache file is rejected by V8: the file still runs, and save() replaces it', () => {
    load();
    fs.writeFileSync(cacheFileOf(), Buffer.alloc(4096, 7), { mode: 0o600 });
    expect(load()).toMatchObject({ usedCache: false, twice: 42 });
    expect(load().usedCache).toBe(true);
  });

  it('a cache file others can read, or a symlink, is not used', () => {
    load();
    const cf = cacheFileOf();
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

describe('codeCacheFile: the build id names the cache', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsops-codename-'));
  const write = (name: string, text: string) => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, text);
    return f;
  };

  it('a stamped bundle is named by its id alone: not its path, and not its mtime (npm sets one mtime for all)', () => {
    const a = write('a.js', '//dsops-build:0123456789abcdef\nexports.x = 1;\n');
    const b = write('b.js', '//dsops-build:0123456789abcdef\nexports.x = 1;\n');
    expect(codeCacheFile('/c', a)).toBe(codeCacheFile('/c', b));
    fs.utimesSync(a, new Date('1985-10-26T08:15:00Z'), new Date('1985-10-26T08:15:00Z'));
    expect(codeCacheFile('/c', a)).toBe(codeCacheFile('/c', b));
    const c = write('c.js', '//dsops-build:fedcba9876543210\nexports.x = 1;\n');
    expect(codeCacheFile('/c', c)).not.toBe(codeCacheFile('/c', a));
  });

  it('an unstamped file (or a malformed stamp) falls back to its path, size and mtime', () => {
    const a = write('d.js', '//dsops-build:nothex!\nexports.x = 1;\n');
    const before = codeCacheFile('/c', a);
    fs.utimesSync(a, new Date('2001-01-01T00:00:00Z'), new Date('2001-01-01T00:00:00Z'));
    expect(codeCacheFile('/c', a)).not.toBe(before);
  });

  it('the stamp is read only from the first line', () => {
    expect(bannerBuildId('//dsops-build:0123456789abcdef\nx')).toBe('0123456789abcdef');
    expect(bannerBuildId('x\n//dsops-build:0123456789abcdef\n')).toBeUndefined();
    expect(bannerBuildId('//dsops-build:0123456789abcdef0\n')).toBeUndefined();
  });
});

describe('the built bundles', () => {
  it('carry one build id, stamped on main.js and cli/program.js, with no placeholder left', () => {
    const dist = path.resolve(__dirname, '../../dist');
    const ids = ['main.js', 'cli/program.js'].map((f) => bannerBuildId(fs.readFileSync(path.join(dist, f), 'utf8')));
    expect(ids[0]).toMatch(/^[0-9a-f]{16}$/);
    expect(ids[1]).toBe(ids[0]);
    expect(fs.readFileSync(path.join(dist, 'main.js'), 'utf8')).not.toContain('b0b0b0b0b0b0b0b0');
  });
});

describe('codeCacheFile: node flags', () => {
  const saved = process.env.NODE_OPTIONS;
  afterEach(() => {
    if (saved === undefined) delete process.env.NODE_OPTIONS;
    else process.env.NODE_OPTIONS = saved;
  });
  it('runs under other NODE_OPTIONS get a file of their own (V8 would reject the other one)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsops-codeflags-'));
    const f = path.join(dir, 'm.js');
    fs.writeFileSync(f, '//dsops-build:0123456789abcdef\nexports.x = 1;\n');
    delete process.env.NODE_OPTIONS;
    const plain = codeCacheFile('/c', f);
    process.env.NODE_OPTIONS = '--max-old-space-size=4096';
    const big = codeCacheFile('/c', f);
    expect(big).not.toBe(plain);
    expect(codeCacheFile('/c', f)).toBe(big);
    expect(path.basename(big)).toMatch(/^code-0123456789abcdef-node[\w.]+-\w+-[0-9a-f]{16}\.bin$/);
  });
});
