#!/usr/bin/env python3
# Runs a command on a new pseudo-terminal, as if typed at a shell, and answers the first "MFA code"
# prompt with ANSWER. Prints everything the terminal showed and exits with the command's exit code.
import os, pty, sys, time, select
# usage: pty-run.py ANSWER -- argv...   Runs argv on a new pty, answers the first prompt containing "MFA code" with ANSWER.
answer = sys.argv[1].encode()
argv = sys.argv[3:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
out = b''; answered = False; deadline = time.time() + 20
while time.time() < deadline:
    r, _, _ = select.select([fd], [], [], 0.2)
    if fd in r:
        try: chunk = os.read(fd, 4096)
        except OSError: break
        if not chunk: break
        out += chunk
        if not answered and b'MFA code' in out:
            time.sleep(0.1); os.write(fd, answer); answered = True
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors='replace'))
sys.exit(os.waitstatus_to_exitcode(status))
