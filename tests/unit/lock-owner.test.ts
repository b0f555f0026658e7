/** `<session file>.owner`: who holds a session lock, as a waiter reads it (src/cache/lock-owner.ts). */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { claimOwner, listOwnerFiles, ownerFile, readOwner, releaseOwner } from '../../src/cache/lock-owner';

let dir: string;
let session: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsops-owner-'));
  session = path.join(dir, 'sts-0123abcd.json');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const plant = (text: string | Buffer, mode = 0o600) => {
  fs.writeFileSync(ownerFile(session), text, { mode });
  fs.chmodSync(ownerFile(session), mode);
};

it('claim writes this pid in a 0600 file of ours, which a waiter reads back', async () => {
  await claimOwner(session);
  const st = fs.lstatSync(ownerFile(session));
  expect({ file: st.isFile(), mode: st.mode & 0o777 }).toEqual({ file: true, mode: 0o600 });
  expect(fs.readFileSync(ownerFile(session), 'utf8')).toBe(`${process.pid}\n`);
  expect(readOwner(session)).toBe(process.pid);
  expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
});

it('claim replaces a symbolic link planted at the name, never writing its target', async () => {
  const target = path.join(dir, 'target');
  fs.writeFileSync(target, 'untouched');
  fs.symlinkSync(target, ownerFile(session));
  await claimOwner(session);
  expect(fs.lstatSync(ownerFile(session)).isFile()).toBe(true);
  expect(fs.readFileSync(target, 'utf8')).toBe('untouched');
});

it('release removes the file only while it still names this process', async () => {
  await claimOwner(session, 4242);
  releaseOwner(session);
  expect(readOwner(session)).toBe(4242);
  releaseOwner(session, 4242);
  expect(fs.existsSync(ownerFile(session))).toBe(false);
  expect(() => releaseOwner(session)).not.toThrow();
});

it.each([
  ['missing', undefined],
  ['empty', ''],
  ['a name', 'root\n'],
  ['a pid with more after it', '123 \x1b[2J\n'],
  ['a negative pid', '-1\n'],
  ['pid 0', '0\n'],
  ['a leading zero', '0123\n'],
  ['beyond any pid', '4294967295\n'],
  ['two lines', '12\n34\n'],
  ['more than the size cap', `${'1'.repeat(40)}\n`],
])('%s: no pid', (_what, text) => {
  if (text !== undefined) plant(text);
  expect(readOwner(session)).toBeUndefined();
});

it('a FIFO at the name: no pid, and the read does not block', () => {
  execFileSync('mkfifo', ['-m', '600', ownerFile(session)]);
  expect(readOwner(session)).toBeUndefined();
});

it('a file others can read, or a link to a valid one: not trusted, no pid', () => {
  plant('123\n', 0o644);
  expect(readOwner(session)).toBeUndefined();
  fs.rmSync(ownerFile(session));
  const real = path.join(dir, 'real');
  fs.writeFileSync(real, '123\n', { mode: 0o600 });
  fs.symlinkSync(real, ownerFile(session));
  expect(readOwner(session)).toBeUndefined();
});

it('a decimal pid without a newline is accepted', () => {
  plant('31337');
  expect(readOwner(session)).toBe(31337);
});

it('listOwnerFiles names only session owner files', () => {
  for (const f of ['sts-0123abcd.json.owner', 'sts-0123abcd.json', 'sts-0123abcd.json.lock', 'other.owner', '.sts-0123abcd.json.owner.1.2.x.tmp']) {
    fs.writeFileSync(path.join(dir, f), '');
  }
  expect(listOwnerFiles(dir)).toEqual([path.join(dir, 'sts-0123abcd.json.owner')]);
  expect(listOwnerFiles(path.join(dir, 'nope'))).toEqual([]);
});
