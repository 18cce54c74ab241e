"""CPU time and peak memory of a gunicorn server's workers, read from /proc (Linux; no psutil).

CPU seconds a worker spent do not depend on how busy the machine is (the wall clock does), so
server CPU per request is the steady way to compare pages on a shared machine (bench/README.md).
"""

from __future__ import annotations

import os
from pathlib import Path

_TICK = os.sysconf("SC_CLK_TCK")


def workers(master_pid: int) -> list[int]:
    """The worker processes of gunicorn's master (its children)."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    try:
        return [int(pid) for pid in children.read_text().split()]
    except OSError:
        return []


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICK


def server_cpu(master_pid: int | None) -> float:
    """CPU seconds of all the server's workers so far."""
    return sum(cpu_seconds(pid) for pid in workers(master_pid)) if master_pid else 0.0


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory (VmHWM) in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0
