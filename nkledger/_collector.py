"""Python's cyclic garbage collector, paused over work that makes no garbage cycles.

Loading a ledger, checking it and analysing it build a great many small objects that
are freed by reference counting (or live on as the result) and form no cycles. Each
full collection they set off meanwhile walks every object of the process — the whole
ledger and its findings — again and again: about a tenth of a 10,000-claim check.
Nothing collectable is lost: the collector resumes, with its counts, when the work
returns, and the few cycles made meanwhile are collected then.
"""

from __future__ import annotations

import contextlib
import functools
import gc
from collections.abc import Callable, Iterator
from typing import ParamSpec, TypeVar

__all__ = ["kept", "paused"]

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


@contextlib.contextmanager
def kept() -> Iterator[Callable[[], None]]:
    """A block whose long-lived data, once made, the collector no longer walks.

    For a program's own long-lived data, such as the ledger the command line checks:
    the collector is paused from the start of the block until ``settle()`` (the
    function the block is given) is called, once the data is made; everything then
    alive moves to the collector's permanent generation (:func:`gc.freeze`), so no
    later collection within the block walks it again (each full collection of a
    million-claim ledger would: a second or so each). Leaving the block puts it back
    (:func:`gc.unfreeze`). Where objects were frozen already when the block began (the
    caller's own), nothing is frozen, and nothing unfrozen.
    """
    collecting = gc.isenabled()
    mine = gc.get_freeze_count() == 0
    frozen = settled = False

    def settle() -> None:
        nonlocal frozen, settled
        if settled:
            return
        settled = True
        if mine:
            gc.freeze()
            frozen = True
        if collecting:
            gc.enable()

    gc.disable()
    try:
        yield settle
    finally:
        if frozen:
            gc.unfreeze()
        if collecting and not settled:
            gc.enable()
