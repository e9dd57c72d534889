"""Tests for nkledger._collector: the cyclic collector paused, and long-lived data kept."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from nkledger._collector import kept, paused


@pytest.fixture(autouse=True)
def collecting() -> Iterator[None]:
    """Each test starts with the collector running and nothing frozen, and leaves it so."""
    was = gc.isenabled()
    gc.enable()
    assert gc.get_freeze_count() == 0
    yield
    gc.unfreeze()
    if was:
        gc.enable()
    else:
        gc.disable()


class TestPaused:
    def test_the_collector_is_paused_inside_and_resumes_after(self) -> None:
        """A paused function runs with the collector off; it is on again afterwards."""
        seen = paused(gc.isenabled)()
        assert seen is False
        assert gc.isenabled()

    def test_it_resumes_after_an_exception(self) -> None:
        """An exception raised inside does not leave the collector off."""
        def fail() -> None:
            raise ValueError("no")

        with pytest.raises(ValueError):
            paused(fail)()
        assert gc.isenabled()

    def test_a_paused_collector_stays_paused(self) -> None:
        """A caller who paused the collector finds it paused still."""
        gc.disable()
        paused(lambda: None)()
        assert not gc.isenabled()


class TestKept:
    def test_data_made_before_settle_is_frozen_until_the_block_ends(self) -> None:
        """Paused until settle(); then what is alive is frozen, and thawed on leaving."""
        with kept() as settle:
            assert not gc.isenabled()
            data = [[i] for i in range(100)]
            settle()
            assert gc.isenabled()
            assert gc.get_freeze_count() >= len(data)
        assert gc.get_freeze_count() == 0
        assert gc.isenabled()

    def test_leaving_without_settling_resumes_the_collector(self) -> None:
        """A block that never settles (bad input) leaves the collector as it found it."""
        with pytest.raises(ValueError), kept():
            raise ValueError("bad input")
        assert gc.isenabled()
        assert gc.get_freeze_count() == 0

    def test_a_callers_frozen_objects_are_left_alone(self) -> None:
        """Where objects were frozen already, nothing more is frozen, nothing thawed."""
        gc.freeze()
        before = gc.get_freeze_count()
        with kept() as settle:
            _ = [[i] for i in range(100)]
            settle()
            assert gc.get_freeze_count() == before
        assert gc.get_freeze_count() == before
