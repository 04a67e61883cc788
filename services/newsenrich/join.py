"""The joiner's state machine, kept pure so its rules are tested without a broker.

State per article id (what the faust table stores):
  {"emitted": {"fingerprint", "offset", "at"} | None,
   "pending": {fingerprint: {"offset", "entities"?, "quotes"?, "at"}}}

* Halves pair by fingerprint: both workers derive it from the same raw
  message, so an entities result never meets the quotes of another version.
* A version already emitted is not emitted again (re-delivery, replays).
* A version older (lower raw offset) than the one emitted is stale and
  dropped: a newer article replaces the old, never the other way round.
"""

from __future__ import annotations

from typing import Any

HALVES = ("entities", "quotes")


def join_step(
    state: dict[str, Any] | None, half: str, result: dict[str, Any], now: float
) -> tuple[dict[str, Any], tuple[dict[str, Any], dict[str, Any]] | None, str]:
    """Apply one half; return (new state, (entities, quotes) to emit or None, what happened)."""
    assert half in HALVES
    state = {"emitted": None, "pending": {}} if state is None else state
    fp = result["fingerprint"]
    offset = result["source"]["offset"]
    emitted = state["emitted"]
    if emitted is not None:
        if emitted["fingerprint"] == fp:
            return state, None, "duplicate"
        if offset < emitted["offset"]:
            return state, None, "stale"
    pending = dict(state["pending"])
    entry = dict(pending.get(fp, {"offset": offset}))
    entry[half] = result
    entry["at"] = now
    pending[fp] = entry
    if all(h in entry for h in HALVES):
        return state | {"pending": pending}, (entry["entities"], entry["quotes"]), "complete"
    return state | {"pending": pending}, None, "waiting"


def mark_emitted(state: dict[str, Any], fingerprint: str, now: float) -> dict[str, Any]:
    """After the enriched record is delivered: remember it, forget older pending versions."""
    offset = state["pending"][fingerprint]["offset"]
    pending = {fp: e for fp, e in state["pending"].items() if e["offset"] > offset}
    return {"emitted": {"fingerprint": fingerprint, "offset": offset, "at": now}, "pending": pending}


def expired(state: dict[str, Any], now: float, ttl_s: float) -> bool:
    times = [e["at"] for e in state["pending"].values()]
    if state["emitted"]:
        times.append(state["emitted"]["at"])
    return not times or max(times) < now - ttl_s
