#!/usr/bin/env python3
# Runs a command on a new pseudo-terminal, as if typed at a shell, and types TEXT once the terminal has
# shown MARKER (an MFA code at "MFA code", Ctrl-C as "\x03"). Prints everything the terminal showed and
# exits with the command's exit code.
# usage: pty-run.py MARKER TEXT -- argv...
import os, pty, sys, time, select
marker = sys.argv[1].encode()
text = sys.argv[2].encode()
argv = sys.argv[4:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
out = b''; typed = False; deadline = time.time() + 20
while time.time() < deadline:
    r, _, _ = select.select([fd], [], [], 0.2)
    if fd in r:
        try: chunk = os.read(fd, 4096)
        except OSError: break
        if not chunk: break
        out += chunk
        if not typed and marker in out:
            # A prompt is printed before the terminal is switched to no-echo; give it a moment.
            time.sleep(0.1); os.write(fd, text); typed = True
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors='replace'))
sys.exit(os.waitstatus_to_exitcode(status))
