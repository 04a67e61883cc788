"""Grammatical gender of a person's name, for resolving `he`/`she` and قال/قالت.

English first names come from the US Census 1990 first-name frequency lists
(public domain), as shipped by the `names` package; a name on both lists
takes the gender it is far more often given, and stays unknown otherwise.
Arabic rarely needs a list: the verb and the role noun carry the gender
(قالت الوزيرة), and the attribution step records what the text says.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

_MARGIN = 4.0  # how much more frequent one gender must be for an ambiguous name


@cache
def _first_names() -> dict[str, str]:
    freq: dict[str, dict[str, float]] = {}
    for gender, fname in (("m", "dist.male.first"), ("f", "dist.female.first")):
        for line in resources.files("names").joinpath(fname).read_text().splitlines():
            parts = line.split()
            if len(parts) >= 2:
                freq.setdefault(parts[0].lower(), {})[gender] = float(parts[1])
    out: dict[str, str] = {}
    for name, by in freq.items():
        m, f = by.get("m", 0.0), by.get("f", 0.0)
        if m > _MARGIN * f:
            out[name] = "m"
        elif f > _MARGIN * m:
            out[name] = "f"
    return out


def name_gender(name: str) -> str | None:
    """'m', 'f' or None for a person's name, from its first word."""
    first = name.split()[0].strip(".,'’").lower() if name.split() else ""
    return _first_names().get(first)
