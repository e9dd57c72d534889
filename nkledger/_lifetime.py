"""Values remembered per object, by the object's identity, for as long as it lives.

A cache keyed by ``id(obj)`` must not outlive *obj*: once it is freed, its id may be
another object's, and a module-level dict that keeps entries for dead objects grows
with every ledger a long-lived process checks. Here each entry holds a weak reference
to its object whose callback removes the entry when the object dies — before its id
can be reused — so a lookup by id always finds the object's own value or nothing.
The object must support weak references (attrs classes do) and its value must not
refer to it (or the entry keeps it alive).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["WhileAlive"]

_K = TypeVar("_K")
_V = TypeVar("_V")


class WhileAlive(Generic[_K, _V]):
    """A value per live object, looked up by the object's identity (not its hash)."""

    def __init__(self) -> None:
        self._entries: dict[int, tuple[weakref.ref[_K], _V]] = {}

    def get(self, obj: _K) -> _V | None:
        """The value remembered for *obj*, or None."""
        hit = self._entries.get(id(obj))
        return hit[1] if hit is not None and hit[0]() is obj else None

    def put(self, obj: _K, value: _V) -> _V:
        """Remember *value* for *obj* until *obj* dies; returns *value*."""
        key = id(obj)
        self._entries[key] = (weakref.ref(obj, self._forget(key)), value)
        return value

    def _forget(self, key: int) -> Callable[[weakref.ref[_K]], None]:
        entries = self._entries

        def forget(_: weakref.ref[_K]) -> None:
            entries.pop(key, None)

        return forget

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        """Whether a value is remembered under this id (an ``id(obj)``)."""
        return key in self._entries
