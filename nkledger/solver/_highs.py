"""A quiet HiGHS instance, and the one place that decides how HiGHS runs."""

from __future__ import annotations

import os
import sys
from typing import Any

__all__ = ["highs", "pass_lp"]

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


def pass_lp(h: Any, cost: Any, col_low: Any, col_high: Any, row_low: Any, row_high: Any,
            start: Any, index: Any, value: Any) -> None:
    """Pass *h* the LP ``min cost·x``, rows ``row_low ≤ A x ≤ row_high`` (A rowwise).

    The arrays go to HiGHS as they are (numpy buffers): a :class:`highspy.HighsLp` built
    field by field converts every number through a Python list, which costs more than
    solving a small LP. No column is an integer (a vector of zeros says so).
    """
    import numpy as np

    ncols, nrows = len(cost), len(row_low)
    h.passModel(ncols, nrows, len(index), 2, 1, 0.0,  # rowwise; minimise; no offset
                np.ascontiguousarray(cost, dtype=np.float64),
                np.ascontiguousarray(col_low, dtype=np.float64),
                np.ascontiguousarray(col_high, dtype=np.float64),
                np.ascontiguousarray(row_low, dtype=np.float64),
                np.ascontiguousarray(row_high, dtype=np.float64),
                np.ascontiguousarray(start, dtype=np.int32),
                np.ascontiguousarray(index, dtype=np.int32),
                np.ascontiguousarray(value, dtype=np.float64),
                np.zeros(ncols, dtype=np.int32))


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
