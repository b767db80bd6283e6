"""A process's own peak memory, for the benchmarks that start fresh interpreters.

Linux's ``getrusage(...).ru_maxrss`` is not that: across fork and exec it
carries the parent's peak into the child, so a fresh process started by a
benchmark that has just simulated or read large files reports the
benchmark's peak (and the growth over it, zero). ``VmHWM`` in
``/proc/self/status`` is the high-water mark of this process's own memory.

Example:
    >>> 0 < peak_bytes() < 10**12
    True
"""

from __future__ import annotations

import resource
import sys


def peak_bytes() -> int:
    """This process's peak resident size in bytes: VmHWM where Linux gives
    it, else ``ru_maxrss`` (bytes on macOS, kB elsewhere; with the caveat above)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024  # kB of 1024 bytes
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024
