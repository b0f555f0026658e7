#!/usr/bin/env python3
# Runs a command on a new pseudo-terminal, as if typed at a shell, and types Ctrl-C once the terminal
# has shown MARKER. Prints everything the terminal showed and exits with the command's exit code.
# usage: pty-interrupt.py MARKER -- argv...
import os, pty, sys, time, select
marker = sys.argv[1].encode()
argv = sys.argv[3:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
out = b''; sent = False; deadline = time.time() + 20
while time.time() < deadline:
    r, _, _ = select.select([fd], [], [], 0.2)
    if fd in r:
        try: chunk = os.read(fd, 4096)
        except OSError: break
        if not chunk: break
        out += chunk
        if not sent and marker in out:
            os.write(fd, b'\x03'); sent = True
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors='replace'))
sys.exit(os.waitstatus_to_exitcode(status))
