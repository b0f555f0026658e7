#!/usr/bin/env python3
# Runs a command on a new pseudo-terminal, as if typed at a shell, and types TEXT once the terminal has
# shown MARKER (an MFA code at "MFA code", Ctrl-C as "\x03"). Several MARKER TEXT pairs are typed in turn,
# each marker looked for only in what the terminal showed after the previous text was typed (a second code
# at the second prompt). With --wait-raw, it also waits until the program has switched the terminal to raw
# mode (echo off), as a password prompt does after printing itself: typing before that would echo the code.
# Prints everything the terminal showed and exits with the command's exit code. Every wait is for a
# condition, bounded by DEADLINE seconds.
# usage: pty-run.py MARKER TEXT [MARKER TEXT ...] [--wait-raw] -- argv...
import os, pty, sys, time, select, termios
DEADLINE = 20
args = sys.argv[1:]
pairs = []
while args and args[0] not in ('--', '--wait-raw'):
    assert len(args) >= 2, 'usage: pty-run.py MARKER TEXT [MARKER TEXT ...] [--wait-raw] -- argv...'
    pairs.append((args[0].encode(), args[1].encode()))
    args = args[2:]
rest = args
wait_raw = bool(rest) and rest[0] == '--wait-raw'
if wait_raw: rest = rest[1:]
assert pairs and rest and rest[0] == '--', 'usage: pty-run.py MARKER TEXT [MARKER TEXT ...] [--wait-raw] -- argv...'
argv = rest[1:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)

def echo_off():
    # On Linux the master side reports the terminal's (the slave's) settings.
    try: return not (termios.tcgetattr(fd)[3] & termios.ECHO)
    except termios.error: return False

out = b''; done = 0; since = 0; deadline = time.monotonic() + DEADLINE
while time.monotonic() < deadline:
    pending = pairs[done] if done < len(pairs) else None
    seen = pending is not None and pending[0] in out[since:]
    if seen and (not wait_raw or echo_off()):
        os.write(fd, pending[1]); done += 1; since = len(out)
        continue
    # While only the mode switch is awaited, look again soon; otherwise wait for output.
    r, _, _ = select.select([fd], [], [], 0.01 if seen else 0.2)
    if fd in r:
        try: chunk = os.read(fd, 4096)
        except OSError: break
        if not chunk: break
        out += chunk
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors='replace'))
sys.exit(os.waitstatus_to_exitcode(status))
