"""News outlets and agencies as organisations: a name in «…» after an outlet word, the outlet
closing a dateline, and the agency's short and long names merged into one entity.
"""

from __future__ import annotations

import re

from newsenrich.nlp import gazetteer, lexicon
from newsenrich.nlp.entities.clustering import Cluster
from newsenrich.nlp.entities.mentions import NON_SPACE, Mention
from newsenrich.nlp.entities.occurrences import Fields
from newsenrich.nlp.text import (
    name_tokens,
    normalize,
)

_IN_MARKS = re.compile(r"«([^«»\n]{2,40})»")


_WORD_BEFORE = re.compile(r"([\w\u064b-\u0652]+)\W{0,3}$")


def outlet_entities(entities: list[Cluster], fields: Fields, lang: str) -> list[Cluster]:
    """News outlets named in «»: after the kind of outlet (`صحيفة «الصباح»`, `قناة «صدى البلد»`)
    or as whom a statement was given to (`في تصريح خاص لـ«اليوم 24»`) or what published a report
    (`حسب ما أوردته «شوف تي في»`); the same name in marks
    elsewhere (a byline's `«الوطن»`) is that outlet too. Only occurrences in marks count:
    outlets are often named with common words (اليوم، الوطن، الصباح) that the text also uses
    as words. A tagger's mention inside the marks gives way; an entity of the same name
    becomes the organisation.
    """

    lex = lexicon.load(lang)
    if lang != "ar" or not lex.outlet_nouns:
        return entities
    named: set[tuple[str, ...]] = set()
    spans: list[tuple[str, int, int]] = []
    for fname, text in fields.text.items():
        for m in _IN_MARKS.finditer(text):
            if len(m.group(1).split()) > 4:
                continue
            spans.append((fname, m.start(1), m.end(1)))
            before = text[max(0, m.start() - 40) : m.start()]
            word = _WORD_BEFORE.search(before)
            prev = word.group(1) if word else ""
            lead = before[: word.start()] if word else before
            given_to = prev in ("ل", "لـ") or before.rstrip().endswith(("لـ", " ل"))
            lead_words = lead.split()
            published = bool(lead_words) and normalize(lead_words[-1]) == "ما"
            published = published and normalize(prev) in lex.published_verbs
            if (
                lex.is_in(prev, lex.outlet_nouns)
                or (given_to and any(lex.is_in(w, lex.interview_nouns) for w in lead_words[-3:]))
                or published
            ):
                named.add(name_tokens(m.group(1)))
    if not named:
        return entities
    found = [
        Mention(f, s, t, fields.text[f][s:t], "ORG")
        for f, s, t in spans
        if name_tokens(fields.text[f][s:t]) in named
    ]
    return _as_named(entities, found)


def _as_named(entities: list[Cluster], found: list[Mention]) -> list[Cluster]:
    """Each span of `found` a mention of the organisation (or, for a byline, the person) of its
    name (one entity per name, its label fixed to the mention's); a tagger's mention
    overlapping it gives way, and an entity left with none is dropped."""
    for m in found:
        home = next((e for e in entities if m.tokens in e.token_forms), None)
        for e in entities:
            e.mentions = [x for x in e.mentions if not x.overlaps(m)]
        entities = [e for e in entities if e.mentions or e is home]
        if home is None:
            home = Cluster([])
            entities.append(home)
        home.mentions.append(m)
        home.fixed_label = m.label
    return entities


_BYLINE_WORDS = frozenset(normalize(w) for w in ("كتب", "كتبت", "بقلم"))
_DATELINE_CUT = re.compile(r"\s*[-–—/()]+\s*")


def _last_words(line: str, k: int) -> list[re.Match[str]]:
    """The last `k` words of `line` (fewer if it has fewer), read from its end: the first line
    of an article without paragraphs is the whole article."""
    window = 128
    while True:
        start = max(0, len(line) - window)
        found = list(NON_SPACE.finditer(line, start))
        if start == 0 or len(found) > k:  # a word before the last k: they are whole
            return found[-k:]
        window *= 4


def dateline_outlets(entities: list[Cluster], fields: Fields, lang: str) -> list[Cluster]:
    """The outlet or agency of an Arabic dateline or byline, at the top of the body: `الرياض
    (رويترز) -`, `مسقط في 9 مارس /العُمانية/`, `بغداد/ شفق نيوز-`, `الدار البيضاء - اليوم 24`,
    `عدن الغد / خاص`, `الوكيل الإخباري - قالت …`, a line that a known wire closes (`بريدة 12
    صفر 1447 هـ … واس`).

    The first line's head (up to the dash that opens the story, or the whole line when it is
    a short byline) is cut at dashes, slashes and brackets. The outlet is a piece in brackets or
    slashes, a piece after the place of a byline, or a head of two or more words that is no
    place; never a known place, a date, `خاص`, nor a reporter's byline (`كتب - …`).
    """

    if lang != "ar":
        return entities
    gaz, lex = gazetteer.load(lang), lexicon.load(lang)
    body = fields.text["body"]
    start = len(body) - len(body.lstrip())
    line_end = body.find("\n", start)
    line = body[start : line_end if line_end >= 0 else len(body)]
    words = _last_words(line, 4)
    for n in (3, 2, 1):  # `بريدة 12 صفر 1447 هـ الموافق 06 أغسطس 2025 م واس`: the wire closes the line
        tail = [w.group() for w in words[-n:]]
        if (
            len(words) > n
            and all(w.isalpha() for w in tail)  # a sentence's `(وام).` is the acronym rule's
            and name_tokens(" ".join(tail)) in lex.news_agencies
        ):
            a, b = start + words[-n].start(), start + words[-1].end()
            return _as_named(entities, [Mention("body", a, b, body[a:b], "ORG")])
    first_piece = _DATELINE_CUT.split(line.strip(), maxsplit=1)[0]
    byline = (
        len(line.split()) <= 6
        and bool(_DATELINE_CUT.search(line))
        and not line.rstrip().endswith((".", "؟", "!", "،", ":"))  # a sentence is no byline
        and len(first_piece.split()) <= 3
    )
    if byline:
        head = line
    else:
        dash = re.search(r"\s[-–—]\s|[-–—]\s|\s[-–—]", line[:80])
        closed = re.match(r".{0,80}[/)]", line)  # `مسقط في 9 مارس /العُمانية/ أعلن …`: no dash
        if dash is None and closed is None:
            return entities
        head = line[: dash.start()] if dash is not None else closed.group() if closed else ""
    pieces: list[tuple[int, str]] = []
    pos = 0
    for piece in _DATELINE_CUT.split(head):
        piece = piece.strip().strip('«»"')
        at = line.find(piece, pos) if piece else -1
        if at >= 0:
            pieces.append((at, piece))
            pos = at + len(piece)
    for k, (_, piece) in enumerate(pieces):
        if normalize(piece) in _BYLINE_WORDS:
            # A reporter's byline (`كتب - عمرو فكري`): the name after it is a person, whole, however
            # much of it the tagger took.
            name = pieces[k + 1] if k + 1 < len(pieces) else None
            if name and 2 <= len(name[1].split()) <= 4 and all(w.isalpha() for w in name[1].split()):
                a = start + name[0]
                return _as_named(entities, [Mention("body", a, a + len(name[1]), name[1], "PER")])
            return entities
    found: list[Mention] = []
    for k, (at, piece) in enumerate(pieces):
        toks = piece.split()
        if not 1 <= len(toks) <= 3 or gaz.is_place(piece) or normalize(piece) == normalize("خاص"):
            continue
        marked = (at > 0 and line[at - 1] in "(/") or line[at - 2 : at].strip() in ("(", "/")
        named_after_place = byline and k > 0  # `الدار البيضاء - اليوم 24`: a paper called "today"
        if any(ch.isdigit() for ch in toks[0]) or " في " in f" {piece} ":
            continue  # a date, `مسقط في 9 مارس`
        if not named_after_place and (any(gaz.is_calendar(t) for t in toks) or lex.is_stop(toks[0])):
            continue
        if lex.cue(toks[0]):
            continue
        if not (marked or named_after_place or (k == 0 and len(toks) >= 2)):
            continue  # `فاس – يعيش …`: the head of a story is its place, known or not
        found.append(Mention("body", start + at, start + at + len(piece), piece, "ORG"))
    return _as_named(entities, found)


def merge_agencies(entities: list[Cluster], lang: str) -> list[Cluster]:
    """One news agency, one entity, whichever of its names the article uses (أ ف ب, فرانس برس)."""

    agencies = lexicon.load(lang).news_agencies
    home: dict[int, Cluster] = {}
    out: list[Cluster] = []
    for e in entities:
        group = next((agencies[f] for f in e.token_forms if f in agencies), None)
        if group is None or group not in home:
            out.append(e)
            if group is not None:
                home[group] = e
            continue
        home[group].mentions.extend(e.mentions)
    return out
