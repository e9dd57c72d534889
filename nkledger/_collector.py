"""Python's cyclic garbage collector, paused over work that makes no garbage cycles.

Loading a ledger, checking it and analysing it build a great many small objects that
are freed by reference counting (or live on as the result) and form no cycles. Each
full collection they set off meanwhile walks every object of the process — the whole
ledger and its findings — again and again: about a tenth of a 10,000-claim check.
Nothing collectable is lost: the collector resumes, with its counts, when the work
returns, and the few cycles made meanwhile are collected then.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from typing import ParamSpec, TypeVar

__all__ = ["paused"]

_P = ParamSpec("_P")
_T = TypeVar("_T")


def paused(fn: Callable[_P, _T]) -> Callable[_P, _T]:
    """*fn* run with the cyclic collector paused (when it was running)."""
    @functools.wraps(fn)
    def run_paused(*args: _P.args, **kwargs: _P.kwargs) -> _T:
        if not gc.isenabled():
            return fn(*args, **kwargs)
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            gc.enable()
    return run_paused
