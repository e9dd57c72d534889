"""Tests for nkledger._lifetime: values remembered per object while it lives."""

from __future__ import annotations

import gc

import attrs

from nkledger._lifetime import WhileAlive


@attrs.frozen
class Thing:
    name: str


class TestWhileAlive:
    """A value is found for its own object only, and goes when the object goes."""

    def test_found_for_its_object(self) -> None:
        """The value put for an object is what get gives for it."""
        cache: WhileAlive[Thing, int] = WhileAlive()
        a = Thing("a")
        assert cache.put(a, 1) == 1
        assert cache.get(a) == 1

    def test_an_equal_object_is_another_one(self) -> None:
        """An equal object of its own has no value: identity, not equality, is the key."""
        cache: WhileAlive[Thing, int] = WhileAlive()
        a = Thing("a")
        cache.put(a, 1)
        assert cache.get(Thing("a")) is None

    def test_the_entry_goes_with_its_object(self) -> None:
        """Once the object is freed, its entry is gone: the cache does not grow."""
        cache: WhileAlive[Thing, int] = WhileAlive()
        things = [Thing(str(i)) for i in range(100)]
        for i, t in enumerate(things):
            cache.put(t, i)
        assert len(cache) == 100
        key = id(things[0])
        del things, t
        gc.collect()
        assert len(cache) == 0 and key not in cache
