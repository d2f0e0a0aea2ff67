"""`python -I -S bench/measured.py REPORT COMMAND...`: run COMMAND (an absolute path), then
write its wall time (spawn to exit), peak memory and exit code to REPORT as JSON.

A child's max RSS from wait4 is at least its parent's at the spawn (Linux carries the parent's
high-water mark over fork and exec): spawned by the bench's large process it read 81 MB for
any command. From this small interpreter it is the command's own.
"""

import json
import os
import sys
import time


def main(report: str, command: list[str]) -> int:
    started = time.perf_counter()
    pid = os.posix_spawn(command[0], command, os.environ)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    answer = {"seconds": seconds, "peak_kib": usage.ru_maxrss, "exit": code}
    with open(report, "w") as out:
        json.dump(answer, out)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
