import fs = require('fs');

/** The few file-system calls the cache checks make, injectable so tests can play another user. */
export interface DoctorFs {
  lstat(p: string): fs.Stats;
  stat(p: string): fs.Stats;
  readdir(p: string): string[];
  /** The uid dsops runs as; undefined where there are no owners (Windows). */
  uid(): number | undefined;
}

export const nodeFs: DoctorFs = {
  lstat: (p) => fs.lstatSync(p),
  stat: (p) => fs.statSync(p),
  readdir: (p) => fs.readdirSync(p),
  uid: () => (typeof process.getuid === 'function' ? process.getuid() : undefined),
};

export const octal = (mode: number): string => (mode & 0o7777).toString(8).padStart(3, '0');
