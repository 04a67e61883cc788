"""Which rules produced a result: a digest of the NLP code and the lexicons.

The stanza model versions say which models ran; this says which rules ran on
their output. Both go into every result's `models`, and the joiner treats a
different enrichment version of the same article as a new record, so a
replay after a rules change re-enriches instead of being dropped as a
duplicate. A digest of the files rather than a hand-kept number: a number
nobody remembers to bump is how a change goes out unseen.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from newsenrich import __version__

_HERE = Path(__file__).resolve().parent


def digest(root: Path = _HERE) -> str:
    """A short digest of the rule modules and lexicons under `root`."""
    h = hashlib.sha256()
    for path in sorted([*root.rglob("*.py"), *(root / "lexicons").glob("*.json")]):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:10]


RULES_VERSION = f"newsenrich/{__version__}@{digest()}"
