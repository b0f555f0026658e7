import fs = require('fs');
import { DsopsError, EXIT } from '../errors';

/**
 * Reads a line from the controlling terminal (/dev/tty), so stdin and stdout stay the child's.
 * Echo is off: the code is a credential. Ctrl-C aborts with exit 130.
 */
export function promptOnTty(message: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let fd: number;
    try {
      fd = fs.openSync('/dev/tty', 'r+');
    } catch {
      reject(new DsopsError('cannot open the terminal to ask for an MFA code', 'E_NO_TTY', EXIT.RUNTIME));
      return;
    }
    // Required here: only a run that really prompts should pay for the tty module.
    const tty = require('tty') as typeof import('tty');
    const input = new tty.ReadStream(fd);
    const out = fs.createWriteStream('', { fd, autoClose: false });
    out.write(message);
    input.setRawMode(true);
    let buf = '';
    const done = (err?: Error) => {
      input.setRawMode(false);
      input.pause();
      input.destroy();
      out.write('\n');
      if (err) reject(err);
      else resolve(buf);
    };
    input.on('data', (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\u0003') return done(new DsopsError('interrupted at the MFA prompt', 'E_INTERRUPTED', 130));
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u007f' || ch === '\b') buf = buf.slice(0, -1);
        else buf += ch;
      }
    });
  });
}
