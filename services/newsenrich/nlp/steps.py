"""Ordered, named processing steps over a typed document, and the one runner that times them.

spaCy's pipeline components are the model: a step has a name, says which parts of the
document it reads (`needs`) and which it makes (`makes`), and takes the document and
returns it. A language's processing is then a list a reader can see whole, the
differences between languages are two lists rather than branches inside functions, and
the time each step takes comes from the runner, never from code inside the steps.
`check_order` proves at import that every step's needs are made by an earlier one.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar, cast

D = TypeVar("D")
R = TypeVar("R")


@dataclass(frozen=True)
class Step(Generic[D]):
    name: str
    run: Callable[[D], D]
    needs: tuple[str, ...] = ()
    makes: tuple[str, ...] = ()


def check_order(steps: Sequence[Step[D]], given: Iterable[str]) -> Sequence[Step[D]]:
    """`steps` if each one's needs are `given` or made by a step before it; else ValueError."""
    have = set(given)
    for step in steps:
        missing = set(step.needs) - have
        if missing:
            raise ValueError(f"step {step.name!r} needs {sorted(missing)}, which no earlier step makes")
        have |= set(step.makes)
    return steps


def run_steps(steps: Sequence[Step[D]], doc: D, timings: dict[str, float] | None = None) -> D:
    """Each step in order; with `timings`, add each step's milliseconds under its name."""
    for step in steps:
        if timings is None:
            doc = step.run(doc)
            continue
        t0 = time.perf_counter()
        doc = step.run(doc)
        timings[step.name] = timings.get(step.name, 0.0) + (time.perf_counter() - t0) * 1000
    return doc


def drain(steps: Generator[None, None, R]) -> R:
    """The result of a generator of pauses (`entities_in_steps`), run to its end at once."""
    while True:
        done, result = advance(steps)
        if done:
            return cast(R, result)


def advance(steps: Generator[None, None, R]) -> tuple[bool, R | None]:
    """One step of `steps`: (False, None) at a pause, (True, result) at the end.

    What a runner hands to an executor: a StopIteration cannot cross into an asyncio future.
    """
    try:
        next(steps)
    except StopIteration as done:
        return True, done.value
    return False, None
