"""Loading stanza models once and annotating text in batches.

Models come from a local stanza resources folder (`STANZA_RESOURCES_DIR`) and
are loaded with `download_method=None`: a worker must never reach for the
internet at start-up, and a missing model must stop it with a message that
says how to get one, not with a download attempt that hangs in a locked-down
cluster.
"""

from __future__ import annotations

import contextlib
import hashlib
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
    gaz = root / lang / "gazetteer.json"
    if gaz.is_file():  # evidence beside the tagger: a rebuilt one changes results as a model would
        versions["gazetteer"] = f"{lang}/gazetteer@{hashlib.md5(gaz.read_bytes()).hexdigest()[:8]}"
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
        """The names stanza's NER model finds in `texts`, processed as one batch.

        Arabic is tagged in the folded spelling the models are trained on
        (`ner_view`); each result carries the index back to the original text.
        Where the text is split into words by rule (`PRETOKENIZED`), the words go
        straight to stanza's NER model (`_tag_words`); elsewhere through the pipeline.
        """
        if not texts:
            return []
        views = self._views(lang, texts)
        if lang in PRETOKENIZED:
            with self._lock:  # a stanza pipeline is not safe to share between threads
                found = self._tag_words(lang, [v for v, _ in views])
            return [Annotated(spans, index) for spans, (_, index) in zip(found, views, strict=True)]
        docs = self._run_pipeline(lang, [v for v, _ in views])
        return [Annotated(_spans(doc), index) for doc, (_, index) in zip(docs, views, strict=True)]

    def documents(self, lang: str, texts: list[str]) -> list[Any]:
        """stanza Documents for `texts`, prepared as `annotate` prepares them and run through the
        whole stanza pipeline: the benchmark's bare stanza."""
        return self._run_pipeline(lang, [v for v, _ in self._views(lang, texts)])

    def _views(self, lang: str, texts: list[str]) -> list[tuple[str, list[int] | None]]:
        views: list[tuple[str, list[int] | None]] = (
            [ner_view(t) for t in texts] if lang == "ar" else [(t, None) for t in texts]
        )
        if lang in PRETOKENIZED:
            views = [_through(pretokenize(v), index) for v, index in views]
        return views

    def _run_pipeline(self, lang: str, texts: list[str]) -> list[Any]:
        from stanza import Document

        with self._lock:
            return list(self._pipelines[lang]([Document([], text=t) for t in texts]))

    def _tag_words(self, lang: str, texts: list[str]) -> list[list[TaggedSpan]]:
        """stanza's NER model over texts already split (words a space apart, one sentence a
        line), without the pipeline's Document, Sentence, Token and Word objects.

        Those objects were a seventh of the entities worker's time and nothing reads them:
        the words go to the NER processor's own data loader and model, in the order, the
        batches and with the model merging its pipeline call uses, predicted without the
        training-time work (`ner_inference`), and the tags are read with stanza's own BIOES
        decoder, so the names are the same (a test holds them equal).
        Offsets are counted as stanza counts them for pretokenized text.
        """
        import torch
        from stanza.models.ner.data import DataLoader
        from stanza.models.ner.utils import decode_from_bioes, merge_tags

        from newsenrich.nlp.ner_inference import inference_only, predict

        per_text = [[line.split() for line in t.strip().split("\n") if line.strip()] for t in texts]
        sentences = [s for text in per_text for s in text]
        if not sentences:
            return [[] for _ in texts]
        ner = self._pipelines[lang].processors["ner"]
        with torch.no_grad():
            runs = []
            for trainer, config in zip(ner.trainers, ner.configs, strict=True):
                batches = DataLoader(
                    _Words(sentences),
                    config["batch_size"],
                    config,
                    vocab=trainer.vocab,
                    evaluation=True,
                    preprocess_tags=False,
                    bert_tokenizer=trainer.model.bert_tokenizer,
                )
                run: list[list[str]] = []
                with inference_only(trainer):
                    for batch in batches:
                        run += predict(trainer, batch)
                runs.append(run)
        tags = iter([merge_tags(*per_model) for per_model in zip(*runs, strict=True)])
        out: list[list[TaggedSpan]] = []
        for text in per_text:
            spans: list[TaggedSpan] = []
            at = 0
            for words in text:
                starts = []
                for w in words:
                    starts.append(at)
                    at += len(w) + 1
                for e in decode_from_bioes(next(tags)):
                    first, last = e["start"], e["end"]
                    spans.append(
                        TaggedSpan(e["type"], starts[first], starts[last] + len(words[last]), words[first])
                    )
            out.append(spans)
        return out


def _spans(doc: Any) -> list[TaggedSpan]:
    """The names of a stanza Document the whole pipeline tagged."""
    return [TaggedSpan(e.type, e.start_char, e.end_char, e.tokens[0].text) for e in doc.ents]


class _Words:
    """The one thing stanza's NER data loader reads of a Document: each sentence's words."""

    def __init__(self, sentences: list[list[str]]):
        self.sentences = sentences

    def get(
        self, fields: list[str], as_sentences: bool = True, from_token: bool = True
    ) -> list[list[list[Any]]]:
        # (text, ner, multi_ner) per word, as a Document not yet tagged gives them
        return [[[w, None, None] for w in s] for s in self.sentences]


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
class TaggedSpan:
    """A name the model found: its label, [start, end) in the tagged text, and its first word."""

    type: str
    start_char: int
    end_char: int
    first_word: str


@dataclass(frozen=True)
class Annotated:
    """The names found in one text and, if the tagged text dropped characters, where each kept
    one came from."""

    ents: list[TaggedSpan]
    index: list[int] | None = None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """A [start, end) span of the tagged text in the original text's offsets."""
        if self.index is None:
            return start, end
        return self.index[start], self.index[end - 1] + 1
