/** Where dsops finds dsops.yaml without -c or DSOPS_CONFIG: here, then each parent up to the repository root. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { configPath } from '../../src/config/load';

function tree(files: string[]): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dsops-discovery-')));
  for (const f of files) {
    fs.mkdirSync(path.join(root, path.dirname(f)), { recursive: true });
    if (!f.endsWith('/')) fs.writeFileSync(path.join(root, f), 'version: 1\n');
  }
  return root;
}

describe('configPath', () => {
  it('-c, then DSOPS_CONFIG, win over discovery', () => {
    const root = tree(['dsops.yaml']);
    expect(configPath('x.yaml', { DSOPS_CONFIG: 'y.yaml' }, root)).toBe('x.yaml');
    expect(configPath(undefined, { DSOPS_CONFIG: 'y.yaml' }, root)).toBe('y.yaml');
  });

  it('finds the nearest dsops.yaml in a parent (infra/modules/x)', () => {
    const root = tree(['.git/', 'dsops.yaml', 'infra/dsops.yaml', 'infra/modules/x/']);
    expect(configPath(undefined, {}, path.join(root, 'infra/modules/x'))).toBe(path.join(root, 'infra/dsops.yaml'));
    expect(configPath(undefined, {}, path.join(root, 'infra'))).toBe(path.join(root, 'infra/dsops.yaml'));
  });

  it('finds it in the repository root itself', () => {
    const root = tree(['.git/', 'dsops.yaml', 'a/b/']);
    expect(configPath(undefined, {}, path.join(root, 'a/b'))).toBe(path.join(root, 'dsops.yaml'));
  });

  it('stops at the repository root: a dsops.yaml above it is not used', () => {
    const root = tree(['dsops.yaml', 'repo/.git', 'repo/src/']);
    // .git may be a file (worktrees, submodules): it still marks the root.
    expect(configPath(undefined, {}, path.join(root, 'repo/src'))).toBe('dsops.yaml');
  });

  it('without a repository, walks up to the filesystem root and falls back to ./dsops.yaml (E_NO_CONFIG when read)', () => {
    const root = tree(['a/b/']);
    const found = configPath(undefined, {}, path.join(root, 'a/b'));
    // Nothing under the temp root; whatever is above it (normally nothing) is the machine's.
    expect(found === 'dsops.yaml' || !found.startsWith(root)).toBe(true);
  });
});
