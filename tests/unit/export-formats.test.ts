/**
 * Each `dsops export` format read back by the reader it is for: python-dotenv, docker's --env-file rules,
 * bash (and zsh when installed) `eval`, JSON.parse, and the GitHub runner's GITHUB_ENV rules.
 */
import { spawnSync } from 'child_process';
import { dockerReadsExactly, Entries, githubEnvBlock, githubMasks, render } from '../../src/export/formats';

/** Values that break naive quoting. */
const HARD: Entries = [
  ['PLAIN', 'hunter2-plain'],
  ['EMPTY', ''],
  ['SINGLE', "it's"],
  ['DOUBLE', 'say "hi"'],
  ['BOTH', `'"mixed'"`],
  ['DOLLAR', 'pa$$word $HOME ${HOME} $(id) `id`'],
  ['BACKSLASH', 'C:\\path\\to\\n \\\\ end'],
  ['NEWLINES', 'line1\nline2\n\nline4\n'],
  ['PEM', '-----BEGIN KEY-----\nabc/+=\n-----END KEY-----'],
  ['EQUALS', 'a=b==c='],
  ['UNICODE', 'päss wörd ✓ 秘密 🔑'],
  ['DASH', '-n -e --flag'],
  ['HASH', 'value # not a comment'],
  ['SPACES', '  padded  '],
  ['TAB', 'a\tb'],
  ['QUOTE_BACKSLASH', `\\'x\\"`],
  ['PERCENT', '100%0A%25'],
];

const has = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;

/** The GitHub runner's reading of a GITHUB_ENV file: `NAME=value` lines and `NAME<<DELIM` blocks (lines joined by \n). */
function readGithubEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  // The runner reads with .NET ReadLine: \r\n, \r and \n all end a line.
  const lines = text.split(/\r\n|\r|\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const heredoc = line.indexOf('<<');
    const eq = line.indexOf('=');
    if (heredoc > 0 && (eq < 0 || heredoc < eq)) {
      const name = line.slice(0, heredoc);
      const delim = line.slice(heredoc + 2);
      const body: string[] = [];
      for (i++; ; i++) {
        if (i >= lines.length) throw new Error(`unterminated block for ${name}`);
        if (lines[i] === delim) break;
        body.push(lines[i]);
      }
      out[name] = body.join('\n');
    } else if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1);
    else throw new Error(`bad line ${line}`);
  }
  return out;
}

/** docker's documented --env-file rules: `#` lines and blank lines skipped, VAR=VAL taken verbatim (one line), a bare VAR passes through. */
function readDockerEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.replace(/^\s+/, '');
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

const PY_READ = `
import json, sys
from dotenv import dotenv_values
interpolate = sys.argv[1] == "1"
print(json.dumps(dotenv_values(stream=__import__("io").StringIO(sys.stdin.read()), interpolate=interpolate)))
`;

const pythonDotenv = spawnSync('python3', ['-c', 'import dotenv'], { stdio: 'ignore' }).status === 0;
if (!pythonDotenv) {
  if (process.env.CI) throw new Error('python-dotenv is required when CI is set (pip install python-dotenv)');
  // eslint-disable-next-line no-console
  console.warn('SKIPPING python-dotenv round trip: python3 -c "import dotenv" failed (pip install python-dotenv)');
}

describe('dotenv', () => {
  (pythonDotenv ? it : it.skip)('python-dotenv reads every value back exactly (interpolate=False)', () => {
    const text = render('dotenv', HARD).body;
    const r = spawnSync('python3', ['-c', PY_READ, '0'], { input: text, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual(Object.fromEntries(HARD));
  });

  (pythonDotenv ? it : it.skip)('python-dotenv with its default interpolation reads back every value without ${', () => {
    const plain = HARD.filter(([, v]) => !v.includes('${'));
    const r = spawnSync('python3', ['-c', PY_READ, '1'], { input: render('dotenv', plain).body, encoding: 'utf8' });
    expect(JSON.parse(r.stdout)).toEqual(Object.fromEntries(plain));
  });

  it('docker --env-file reads back exactly every value written bare, and only those are called exact', () => {
    const text = render('dotenv', HARD).body;
    const docker = readDockerEnvFile(text);
    const exact = HARD.filter(([, v]) => dockerReadsExactly(v));
    expect(exact.map(([n]) => n).sort()).toEqual(['EMPTY', 'EQUALS', 'PERCENT', 'PLAIN'].sort());
    for (const [n, v] of exact) expect(docker[n]).toBe(v);
    // Docker keeps quotes: a quoted value is read with them, so export warns for each (see export.ts).
    expect(docker.SINGLE).toBe('"it\'s"');
  });

  (pythonDotenv ? it : it.skip)('a value ending in a backslash is written bare, since python-dotenv misreads a quoted one when a later line holds a quote', () => {
    const entries: Entries = [['A', 'x y\\'], ['B', "it's"], ['C', 'dir\\']];
    const r = spawnSync('python3', ['-c', PY_READ, '0'], { input: render('dotenv', entries).body, encoding: 'utf8' });
    expect(JSON.parse(r.stdout)).toEqual(Object.fromEntries(entries));
    expect(readDockerEnvFile(render('dotenv', entries).body)).toMatchObject({ A: 'x y\\', C: 'dir\\' });
  });

  it('writes simple values bare, so docker and dotenv agree on them', () => {
    expect(render('dotenv', [['A', 'abc-123/x=y']]).body).toBe('A=abc-123/x=y\n');
  });
});

describe('shell', () => {
  const shells = ['bash', ...(has('zsh', ['-c', 'true']) ? ['zsh'] : [])];
  if (shells.length === 1) console.warn('zsh not installed: shell format checked with bash only');
  for (const sh of shells) {
    it(`${sh} eval reads every value back exactly`, () => {
      const script = `eval "$DSOPS_EXPORT"\n` + HARD.map(([n]) => `printf '%s\\0' "$${n}"`).join('\n');
      const r = spawnSync(sh, ['-c', script], { env: { PATH: process.env.PATH, DSOPS_EXPORT: render('shell', HARD).body }, encoding: 'utf8' });
      expect(r.status).toBe(0);
      expect(r.stdout.split('\0').slice(0, -1)).toEqual(HARD.map(([, v]) => v));
    });
  }
});

describe('json', () => {
  it('parses to one object of every value', () => {
    expect(JSON.parse(render('json', HARD).body)).toEqual(Object.fromEntries(HARD));
  });
});

describe('github', () => {
  it('GITHUB_ENV blocks read back exactly by the runner rules (no carriage returns)', () => {
    const { body } = render('github', HARD);
    expect(readGithubEnv(body)).toEqual(Object.fromEntries(HARD));
  });

  it('picks another delimiter when the random one occurs in the value', () => {
    const tries = ['EOF', 'EOF', 'XYZ'];
    const block = githubEnvBlock('V', 'a\nEOF\nb', () => tries.shift()!);
    expect(block).toBe('V<<XYZ\na\nEOF\nb\nXYZ\n');
    expect(readGithubEnv(block)).toEqual({ V: 'a\nEOF\nb' });
  });

  it('the default delimiter is random per block', () => {
    const [a, b] = [githubEnvBlock('A', 'x'), githubEnvBlock('A', 'x')];
    expect(a).not.toBe(b);
  });

  it('masks every value, and each line of a multi-line one, escaped as workflow command data', () => {
    expect(githubMasks('s3cret')).toEqual(['::add-mask::s3cret']);
    expect(githubMasks('-----BEGIN-----\nabc\n\n-----END-----\n')).toEqual([
      '::add-mask::-----BEGIN-----',
      '::add-mask::abc',
      '::add-mask::-----END-----',
    ]);
    expect(githubMasks('100%0A')).toEqual(['::add-mask::100%250A']);
    const { masks } = render('github', HARD);
    for (const [, v] of HARD.filter(([, v]) => v.trim() !== '')) {
      for (const line of v.split('\n').filter((l) => l.trim())) expect(masks).toContain(`::add-mask::${line.replace(/%/g, '%25')}`);
    }
  });
});
