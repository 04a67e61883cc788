"""Post-NER work grows with the article, not faster: doubling a body at most ~2.2x the work.

Work is counted, not timed: the number of Python function calls cProfile sees is the
same on any machine, however busy. The mentions stand in for a tagger's (every
occurrence of a few names), so the test needs no model and reads only what the rules do.
"""

from __future__ import annotations

import cProfile
import pstats
import re
from collections.abc import Callable

from newsenrich.nlp.entities import Mention, build_entities
from newsenrich.nlp.lexicon import load
from newsenrich.nlp.quotes import extract_quotes
from newsenrich.nlp.speakers import attribute

NAMES = {"سامي الحداد": "PER", "ليلى منصور": "PER", "وزارة المالية": "ORG", "بيروت": "LOC", "الحداد": "PER"}
PARAGRAPH = (
    "وصل سامي الحداد إلى بيروت يوم {n} لبحث خطة وزارة المالية. "
    "وقال الحداد: «سنواصل العمل على الملف رقم {n}». "
    "من جهتها، أكدت ليلى منصور أن الخطة ستنفذ خلال أسابيع، وأضافت: «لن نتأخر»."
)


def body_of(paragraphs: int) -> str:
    return "\n\n".join(PARAGRAPH.format(n=i) for i in range(paragraphs))


def tagged(body: str) -> list[Mention]:
    out = []
    for name, label in sorted(NAMES.items(), key=lambda x: -len(x[0])):
        for m in re.finditer(re.escape(name), body):
            if not any(o.start <= m.start() < o.end for o in out):
                out.append(Mention("body", m.start(), m.end(), name, label))
    return out


def calls(work: Callable[[], object]) -> int:
    profile = cProfile.Profile()
    profile.enable()
    work()
    profile.disable()
    return sum(row[1] for row in pstats.Stats(profile).stats.values())  # type: ignore[attr-defined]


def growth(make: Callable[[int], Callable[[], object]], size: int = 150) -> float:
    make(20)()  # caches warm, as in a running worker
    return calls(make(2 * size)) / calls(make(size))


def test_entity_post_processing_is_linear():
    def make(n: int) -> Callable[[], object]:
        body = body_of(n)
        mentions = tagged(body)
        return lambda: build_entities(mentions, "عنوان", body, load("ar").role_words, "ar")

    assert growth(make) <= 2.2


def test_quote_rules_are_linear():
    def make(n: int) -> Callable[[], object]:
        body = body_of(n)
        return lambda: extract_quotes(body, load("ar"))

    assert growth(make) <= 2.2


def test_attribution_is_linear():
    def make(n: int) -> Callable[[], object]:
        body = body_of(n)
        entities = build_entities(tagged(body), "عنوان", body, load("ar").role_words, "ar")
        candidates = extract_quotes(body, load("ar"))
        return lambda: attribute(candidates, entities, body, "ar")

    assert growth(make) <= 2.2
