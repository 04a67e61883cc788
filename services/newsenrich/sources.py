"""Reading articles from files: seed `.txt` files and `.jsonl` raw-article dumps.

Shared by `replay` (which produces them to Kafka) and `enrich` (which runs
them through the pipeline offline), so both see the same articles.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson


@dataclass(frozen=True)
class SourceRecord:
    key: bytes | None  # the article id, when it could be read
    value: bytes  # the raw-article message exactly as it goes on the wire
    origin: str  # file (and line) it came from, for messages to people


def txt_article(path: Path) -> dict[str, str]:
    """A `.txt` article as a feed delivers it: title on the first non-empty line, body after it."""
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return {"id": path.stem, "body": ""}
    body = "\n".join(lines[first + 1 :]).strip("\n")
    return {"id": path.stem, "title": lines[first].strip(), "body": body}


def expand(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, and the .txt/.jsonl files inside directories named, in sorted order."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(f for f in p.iterdir() if f.suffix in (".txt", ".jsonl")))
        else:
            out.append(p)
    return out


def read_records(paths: Iterable[str | Path]) -> Iterator[SourceRecord]:
    for path in expand(paths):
        if path.suffix == ".jsonl":
            with path.open("rb") as fh:
                for n, line in enumerate(fh, 1):
                    line = line.rstrip(b"\r\n")
                    if not line.strip():
                        continue
                    key = None
                    try:
                        doc = orjson.loads(line)
                        if isinstance(doc, dict) and isinstance(doc.get("id"), str):
                            key = doc["id"].encode()
                    except orjson.JSONDecodeError:
                        pass
                    yield SourceRecord(key, line, f"{path}:{n}")
        else:
            article = txt_article(path)
            yield SourceRecord(article["id"].encode(), orjson.dumps(article), str(path))
