"""A quiet HiGHS instance, and the one place that decides how HiGHS runs."""

from __future__ import annotations

import os
import sys
from typing import Any

__all__ = ["highs"]

_BANNER_SILENCED = False


def highs() -> Any:
    """A quiet, single-threaded, deterministic HiGHS instance.

    HiGHS prints a banner on standard output (from C++, so Python's
    ``redirect_stdout`` cannot catch it) the first time a process creates a solver,
    before any option can be set; that would corrupt ``--format json``. The first
    construction therefore runs with file descriptor 1 pointed at the null device.
    """
    global _BANNER_SILENCED
    import highspy

    if _BANNER_SILENCED:
        h = highspy.Highs()  # type: ignore[no-untyped-call]
    else:
        h = _quietly(highspy.Highs)
        _BANNER_SILENCED = True
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    return h


def _quietly(make: Any) -> Any:
    """Call *make* with the process's standard output sent to the null device."""
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no standard output at all: nothing to protect
        return make()
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            return make()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
