"""The joiner's state machine, kept pure so its rules are tested without a broker.

State per article id (what the faust table stores):
  {"emitted": {"fingerprint", "offset", "at", "models"} | None,
   "pending": {fingerprint: {"offset", "entities"?, "quotes"?, "at"}}}

* Halves pair by fingerprint: both workers derive it from the same raw
  message, so an entities result never meets the quotes of another version.
* What identifies an enriched record is the article version (fingerprint)
  *and* the enrichment version: the models and rules each half names in its
  `models`. A pair equal on both to the record already emitted is a duplicate
  (re-delivery, a replay) and is dropped; a pair made by other models or
  rules (a re-enrichment after an upgrade) is emitted and replaces the old.
  A lone half is therefore kept until its partner comes even when it matches
  what was emitted: after an upgrade of only one worker, the unchanged half is
  such an echo, and the upgraded half needs it.
* A version older (lower raw offset) than the one emitted is stale and
  dropped: a newer article replaces the old, never the other way round.
"""

from __future__ import annotations

from typing import Any

HALVES = ("entities", "quotes")


def _state(state: dict[str, Any] | None) -> dict[str, Any]:
    return {"emitted": None, "pending": {}} if state is None else state


def _emitted(fingerprint: str, offset: int, now: float, models: dict[str, Any]) -> dict[str, Any]:
    return {"fingerprint": fingerprint, "offset": offset, "at": now, "models": models}


def _models(entry: dict[str, Any]) -> dict[str, Any]:
    """The enrichment version of a complete pair, merged as the enriched record's `models` is."""
    return {**entry["entities"].get("models", {}), **entry["quotes"].get("models", {})}


def join_step(
    state: dict[str, Any] | None, half: str, result: dict[str, Any], now: float
) -> tuple[dict[str, Any], tuple[dict[str, Any], dict[str, Any]] | None, str]:
    """Apply one half; return (new state, (entities, quotes) to emit or None, what happened).

    What happened is one of "waiting", "complete", "duplicate" (a pair the
    emitted record already is) and "stale" (state unchanged).
    """
    assert half in HALVES
    state = _state(state)
    fp = result["fingerprint"]
    offset = result["source"]["offset"]
    emitted = state["emitted"]
    if emitted is not None and emitted["fingerprint"] != fp and offset < emitted["offset"]:
        return state, None, "stale"
    pending = dict(state["pending"])
    entry = dict(pending.get(fp, {"offset": offset}))
    entry[half] = result
    entry["at"] = now
    pending[fp] = entry
    if not all(h in entry for h in HALVES):
        return state | {"pending": pending}, None, "waiting"
    # A record emitted before versions were kept (no "models") is matched on the fingerprint alone.
    if (
        emitted is not None
        and emitted["fingerprint"] == fp
        and emitted.get("models", _models(entry)) == _models(entry)
    ):
        del pending[fp]
        return state | {"pending": pending}, None, "duplicate"
    return state | {"pending": pending}, (entry["entities"], entry["quotes"]), "complete"


def mark_emitted(state: dict[str, Any], fingerprint: str, now: float) -> dict[str, Any]:
    """After the enriched record is delivered: remember it, forget older pending versions."""
    entry = state["pending"][fingerprint]
    offset = entry["offset"]
    pending = {fp: e for fp, e in state["pending"].items() if e["offset"] > offset}
    return {"emitted": _emitted(fingerprint, offset, now, _models(entry)), "pending": pending}


def already_out(
    state: dict[str, Any] | None, fingerprint: str, offset: int, models: dict[str, Any], now: float
) -> dict[str, Any]:
    """The state once an enriched record found on the output topic is known to be out.

    After a crash, the output can be ahead of the state: the record reached the
    broker and the state that says so did not. The topic is the truth of what
    downstream has, so the last record found there for an article becomes its
    emitted record, unless the state already knows a newer version. Pending
    halves of this version stay: their re-delivered partners pair with them
    and are recognised as duplicates.
    """
    state = _state(state)
    emitted = state["emitted"]
    if emitted is not None and emitted["offset"] > offset:
        return state
    pending = {fp: e for fp, e in state["pending"].items() if e["offset"] >= offset}
    return {"emitted": _emitted(fingerprint, offset, now, models), "pending": pending}


def expired(state: dict[str, Any], now: float, ttl_s: float) -> bool:
    times = [e["at"] for e in state["pending"].values()]
    if state["emitted"]:
        times.append(state["emitted"]["at"])
    return not times or max(times) < now - ttl_s
