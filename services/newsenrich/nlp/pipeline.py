"""Loading stanza models once and annotating text in batches.

Models come from a local stanza resources folder (`STANZA_RESOURCES_DIR`) and
are loaded with `download_method=None`: a worker must never reach for the
internet at start-up, and a missing model must stop it with a message that
says how to get one, not with a download attempt that hangs in a locked-down
cluster.
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from newsenrich.nlp.text import ner_view

if TYPE_CHECKING:
    from stanza import Pipeline

log = logging.getLogger(__name__)

# What we ask stanza for, per language, in pipeline order. mwt only where the
# resources folder has it (Arabic and English do; many languages do not).
WANTED_PROCESSORS = ("tokenize", "mwt", "ner")
MISSING_MODELS_HELP = (
    "A checkout ships its models in models/ (STANZA_RESOURCES_DIR unset uses them); otherwise get "
    "models with `newsenrich models download --lang {lang}` on a machine with internet (official "
    "stanza models, pinned to the installed stanza version), build them with `newsenrich models "
    "train {lang}`, or point STANZA_RESOURCES_DIR at a folder that holds them."
)


class ModelsMissing(RuntimeError):
    """No usable stanza models for a language the service is configured to enrich."""


def resources_dir() -> Path:
    """The stanza models folder: `STANZA_RESOURCES_DIR`, else the checkout's `models/` (see Settings)."""
    from newsenrich.config import setting

    return Path(setting("STANZA_RESOURCES_DIR"))


@dataclass(frozen=True)
class LanguageModels:
    """Which stanza packages a language has in the resources folder, with versions."""

    lang: str
    packages: dict[str, str]  # processor -> package name
    versions: dict[str, str | None] = field(default_factory=dict)  # processor -> "pkg@md5"

    @property
    def has_ner(self) -> bool:
        return "ner" in self.packages


def discover(lang: str, root: Path | None = None) -> LanguageModels:
    """Read resources.json and check the files exist; raise ModelsMissing if tokenize is absent."""
    root = root or resources_dir()
    index_path = root / "resources.json"
    if not index_path.is_file():
        raise ModelsMissing(f"no stanza resources.json in {root}. " + MISSING_MODELS_HELP.format(lang=lang))
    index = orjson.loads(index_path.read_bytes())
    entry = index.get(lang)
    if not isinstance(entry, dict) or "alias" in entry:
        raise ModelsMissing(
            f"no stanza models for '{lang}' in {root}. " + MISSING_MODELS_HELP.format(lang=lang)
        )
    defaults: dict[str, str] = entry.get("default_processors", {})
    packages: dict[str, str] = {}
    versions: dict[str, str | None] = {}
    for proc in WANTED_PROCESSORS:
        pkg = defaults.get(proc)
        if not pkg or not (root / lang / proc / f"{pkg}.pt").is_file():
            continue
        deps = entry.get(proc, {}).get(pkg, {}).get("dependencies", [])
        if any(not (root / lang / d["model"] / f"{d['package']}.pt").is_file() for d in deps):
            log.warning("stanza %s/%s/%s is missing a dependency; skipping it", lang, proc, pkg)
            continue
        packages[proc] = pkg
        md5 = entry.get(proc, {}).get(pkg, {}).get("md5")
        versions[proc] = f"{lang}/{proc}/{pkg}@{md5[:8]}" if md5 else f"{lang}/{proc}/{pkg}"
    if "tokenize" not in packages:
        raise ModelsMissing(
            f"no stanza tokenizer for '{lang}' in {root}. " + MISSING_MODELS_HELP.format(lang=lang)
        )
    versions.setdefault("ner", None)
    return LanguageModels(lang, packages, versions)


def set_torch_threads(n: int) -> None:
    """Own the CPU deliberately: n intra-op threads, one inter-op thread.

    Two worker processes on two cores each defaulting to "all cores" would
    oversubscribe the machine and both run slower than one.
    """
    import torch

    torch.set_num_threads(max(1, n))
    with contextlib.suppress(RuntimeError):  # already set once in this process
        torch.set_num_interop_threads(1)


class Annotator:
    """One stanza pipeline per language, loaded at construction, used from one thread at a time."""

    def __init__(self, languages: list[str], *, root: Path | None = None, batch_size: int = 32):
        import stanza

        self.models: dict[str, LanguageModels] = {}
        self._pipelines: dict[str, Pipeline] = {}
        self._lock = threading.Lock()
        for lang in languages:
            found = discover(lang, root)
            self.models[lang] = found
            procs = ",".join(p for p in WANTED_PROCESSORS if p in found.packages and p != "mwt")
            self._pipelines[lang] = stanza.Pipeline(
                lang,
                dir=str(root or resources_dir()),
                processors=procs,
                download_method=None,
                logging_level="WARN",
                use_gpu=False,
                tokenize_batch_size=batch_size,
                ner_batch_size=batch_size,
                tokenize_pretokenized=lang in PRETOKENIZED,
            )
            if not found.has_ner:
                log.warning("no NER model for '%s': its articles get quotes but no entities", lang)
            else:
                from newsenrich.nlp import gazetteer

                gazetteer.load(
                    lang, root
                )  # CLDR and the corpora's names: at start-up, not in the first article

    def annotate(self, lang: str, texts: list[str]) -> list[Annotated]:
        """stanza Documents for `texts`, processed as one batch.

        Arabic is tagged in the folded spelling the models are trained on
        (`ner_view`); each result carries the index back to the original text.
        """
        from stanza import Document

        if not texts:
            return []
        views: list[tuple[str, list[int] | None]] = (
            [ner_view(t) for t in texts] if lang == "ar" else [(t, None) for t in texts]
        )
        if lang in PRETOKENIZED:
            views = [_through(pretokenize(v), index) for v, index in views]
        with self._lock:  # a stanza pipeline is not safe to share between threads
            docs = self._pipelines[lang]([Document([], text=v) for v, _ in views])
        return [Annotated(doc, index) for doc, (_, index) in zip(docs, views, strict=True)]


# Languages whose text is split into words and sentences by `pretokenize` rather than by
# stanza's neural tokenizer (37 % of stanza's time on Arabic news; NER reads tokens only).
PRETOKENIZED = frozenset({"ar"})
_WORD_CHARS = r"\w\u064b-\u065f\u0670\u0640"  # letters, digits, harakat, tatweel
_TOKEN = re.compile(rf"[{_WORD_CHARS}]+(?:[.'’\-][{_WORD_CHARS}]+)*|[^{_WORD_CHARS}\s]")
_SENTENCE_END = frozenset(".!?؟…")


def pretokenize(text: str) -> tuple[str, list[int]]:
    """Words and punctuation apart by spaces, one sentence a line; and for each character of
    that, the index of the character of `text` it is (a separator: the one after the word).

    Arabic writes no capitals and few abbreviations, so a sentence ends at . ! ? ؟ … and at
    a line break; a word keeps inner dots, apostrophes and hyphens (أ.ف.ب، 2.5).
    """
    out: list[str] = []
    index: list[int] = []
    for m in _TOKEN.finditer(text):
        if out:
            ends_sentence = out[-1] in _SENTENCE_END or "\n" in text[index[-1] + 1 : m.start()]
            out.append("\n" if ends_sentence else " ")
            index.append(m.start())
        out.extend(m.group())
        index.extend(range(m.start(), m.end()))
    return "".join(out), index


def _through(view: tuple[str, list[int]], inner: list[int] | None) -> tuple[str, list[int]]:
    """Compose the pretokenized view's index with the folded view's (`ner_view`)."""
    text, index = view
    return text, index if inner is None else [inner[i] for i in index]


@dataclass(frozen=True)
class Annotated:
    """One stanza Document and, if the tagged text dropped characters, where each kept one came from."""

    doc: Any
    index: list[int] | None = None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """A [start, end) span of the tagged text in the original text's offsets."""
        if self.index is None:
            return start, end
        return self.index[start], self.index[end - 1] + 1
