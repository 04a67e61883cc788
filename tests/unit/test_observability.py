"""Health and logs as an operator reads them, without a broker."""

from __future__ import annotations

import logging

from newsenrich.observability import Health, RepeatFilter


def record(name: str, msg: str, level: int = logging.ERROR) -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, msg, None, None)


def test_a_client_repeating_itself_is_shown_once_per_period_with_a_count(monkeypatch):
    clock = [100.0]
    monkeypatch.setattr("newsenrich.observability.time.monotonic", lambda: clock[0])
    f = RepeatFilter(every_s=10)
    shown = [f.filter(record("aiokafka.conn", f"Unable connect to node with id {i % 3}")) for i in range(500)]
    assert sum(shown) == 1
    clock[0] += 11
    again = record("aiokafka.conn", "Unable connect to node with id 2")
    assert f.filter(again) and "499 more like this" in again.getMessage()
    assert f.filter(record("aiokafka.conn", "Something else went wrong entirely"))


def test_the_projects_own_lines_are_never_held_back():
    f = RepeatFilter(every_s=10)
    assert all(
        f.filter(record("newsenrich.runtime.loop", "dead-lettered raw/0@1 (quotes)")) for _ in range(50)
    )


def test_readiness_turns_off_only_after_the_brokers_are_gone_long_enough(monkeypatch):
    clock = [0.0]
    monkeypatch.setattr("newsenrich.observability.time.monotonic", lambda: clock[0])
    h = Health("quotes", stall_s=300, inputs=frozenset({"raw"}), unreachable_after_s=30)
    h.models_loaded = h.assigned = True
    assert h.ready
    h.unreachable("KafkaConnectionError")
    clock[0] = 29
    h.unreachable("KafkaConnectionError")
    assert h.ready and h.brokers_gone is None
    clock[0] = 31
    assert not h.ready and "31s" in (h.brokers_gone or "")
    assert h.live()[0], "an outage is no reason to restart"
    h.reachable()
    assert h.ready
