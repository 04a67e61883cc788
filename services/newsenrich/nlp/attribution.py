"""Speaker attribution: quote evidence + the article's entities -> who said it.

Runs where both halves meet (the joiner, and `newsenrich enrich`). It costs
well under a millisecond and needs no model: the NER has already found the
people and organisations, the quote rules have found where and how the
speaker is named.

* A name (`np: name`): the entity mentioned where the speaker is named (a
  person before an organisation before a place), else the name guess,
  linked to an entity when the names agree.
* A group (`police said`, `وتابعت الوزارة`, `an OPEC delegate`): the
  organisation named there, else the organisation of the article whose
  name carries that noun (`Northumbria Police`, `وزارة الصحة`), else the
  latest organisation mentioned.
* A role with no name (`the professor said`): the person the article gave
  that role (`UNLV biology professor Maria Delgado`).
* A statement (`the statement said`, `وأضاف البيان`): its author, the
  organisation the discourse is about.
* Elided or pronoun speakers (`وقال: …`, `وأضافت: …`, `he added`): the one
  the discourse is about: the latest speaker or subject before the quote,
  skipping any whose grammatical gender disagrees with the cue, and never a
  name that stood inside a quote. English pronouns with nobody to refer to
  stay as written (`he`).
* A continuation (`"…," she said. "…"`, a paragraph that is only a quote,
  later paragraphs of a long quote): the speaker of the quote before it.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from newsenrich.nlp import lexicon
from newsenrich.nlp.gender import name_gender
from newsenrich.nlp.text import NAME_HEADS, name_tokens, normalize

_LABEL_RANK = {"PER": 0, "ORG": 1, "LOC": 2}
_AR_PREPOSITIONS = {"مع", "عن", "إلى", "الى", "على", "من", "في", "مثل", "بين", "لدى"}
_ROLE_REACH = 48  # characters between a role word and the name it describes
_SENTENCE_BREAK = re.compile(r"[.!?؟\n]")


@dataclass
class _Subject:
    pos: int
    name: str
    entity_id: str | None
    gender: str | None
    label: str | None


class _Sorted(list):  # type: ignore[type-arg]
    """Mentions (start, end, entity) sorted by start, with their starts for a bisect."""

    def __init__(self, items: Iterable[tuple[int, int, dict[str, Any]]]):
        super().__init__(sorted(items, key=lambda x: x[0]))
        self.starts = [x[0] for x in self]


def _within(
    mentions: list[tuple[int, int, dict[str, Any]]], a: int, b: int
) -> list[tuple[int, int, dict[str, Any]]]:
    """The mentions lying inside [a, b]: a bisect when they are `_Sorted`, a scan otherwise."""
    if isinstance(mentions, _Sorted):
        lo, hi = bisect.bisect_left(mentions.starts, a), bisect.bisect_right(mentions.starts, b)
        return [x for x in mentions[lo:hi] if x[1] <= b]
    return [x for x in mentions if x[0] >= a and x[1] <= b]


def _body_mentions(entities: list[dict[str, Any]]) -> list[tuple[int, int, dict[str, Any]]]:
    out = []
    for e in entities:
        if e["label"] not in _LABEL_RANK:
            continue
        for m in e["mentions"]:
            if m.get("field", "body") == "body":
                out.append((m["start"], m["end"], e))
    out.sort(key=lambda x: x[0])
    return out


def _run_in(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    n = len(short)
    return n > 0 and any(long[i : i + n] == short for i in range(len(long) - n + 1))


_FORMS: dict[int, tuple[dict[str, Any], object, frozenset[tuple[str, ...]]]] = {}


def _forms_of(e: dict[str, Any]) -> frozenset[tuple[str, ...]]:
    """The name forms of entity `e` (its name and every mention's), worked out once per entity.

    Speakers are looked up by name once or more per quote; reading every mention of every
    entity each time made attribution grow with the square of the article. The memo is
    keyed by the entity object (held, so its id is not reused while memoised) and its mention
    list, so an entity widened or renamed since is read again.
    """
    stamp = (e["name"], id(e["mentions"]), len(e["mentions"]))
    hit = _FORMS.get(id(e))
    if hit is not None and hit[0] is e and hit[1] == stamp:
        return hit[2]
    forms = frozenset({name_tokens(e["name"]), *(name_tokens(m["text"]) for m in e["mentions"])})
    if len(_FORMS) > 4096:
        _FORMS.clear()
    _FORMS[id(e)] = (e, stamp, forms)
    return forms


def _entity_by_name(name: str, entities: list[dict[str, Any]]) -> dict[str, Any] | None:
    toks = name_tokens(name)
    if not toks:
        return None
    for e in entities:
        if e["label"] not in _LABEL_RANK:
            continue
        for form in _forms_of(e):
            if form and (_run_in(form, toks) or _run_in(toks, form)):
                return e
    return None


@lru_cache(maxsize=4)
def _sentence_ends(body: str) -> list[int]:
    return [i for i, ch in enumerate(body) if ch in ".!?؟\n"]


def _sentence_start(body: str, pos: int) -> int:
    """Where the sentence holding `pos` starts (one scan of the body per article, then bisect)."""
    ends = _sentence_ends(body)
    k = bisect.bisect_left(ends, pos)
    return ends[k - 1] + 1 if k else 0


@lru_cache(maxsize=4)
def _word_positions(body: str) -> dict[str, list[tuple[int, int]]]:
    """Each word of the body, without its article (`_head_form`), -> its spans in order.

    Role, qualifier and honorific look-ups read this instead of rescanning the body up to
    each quote, which made attribution grow with the square of the article.
    """
    out: dict[str, list[tuple[int, int]]] = {}
    for m in re.finditer(r"[\w\u064b-\u0652]+", body):
        out.setdefault(_head_form(m.group()), []).append((m.start(), m.end()))
    return out


@lru_cache(maxsize=4)
def _honorific_forms(body: str, lang: str) -> dict[str, list[str]]:
    """Honorific (without article) -> the body's words that are it (`السمو`, `سمو` -> `سمو`)."""
    lex = lexicon.load(lang)
    out: dict[str, list[str]] = {}
    for form in _word_positions(body):
        if host := lex.honorific_host(form):
            out.setdefault(_head_form(host), []).append(form)
    return out


def _spans_before(body: str, forms: Iterable[str], before: int) -> list[tuple[int, int]]:
    """Spans of words whose `_head_form` is one of `forms`, ending before `before`, in order."""
    index = _word_positions(body)
    return sorted(span for f in set(forms) for span in index.get(f, ()) if span[1] <= before)


def _first_after(people: list[tuple[int, int, dict[str, Any]]], starts: list[int], at: int, reach: int):
    """The first of `people` (sorted by start; `starts` their starts) starting within `reach` after `at`."""
    k = bisect.bisect_left(starts, at)
    return people[k] if k < len(people) and people[k][0] - at <= reach else None


def _subject_mentions(
    body: str, mentions: list[tuple[int, int, dict[str, Any]]], lang: str
) -> list[_Subject]:
    """People and organisations named in subject position: near the start of their sentence."""
    out = []
    for s, _, e in mentions:
        if e["label"] not in ("PER", "ORG"):
            continue
        lead = body[_sentence_start(body, s) : s]
        words = re.findall(r"[\w\u064b-\u0652]+", lead)
        if lang == "en":
            # `At an evening update, West Kelowna Mayor Tom Brandt stood …`: the clause after a comma.
            clause = re.findall(r"[\w\u064b-\u0652]+", re.split(r"[,;—–]", lead)[-1])
            # `United boss Kieran Doyle was …`: capitalised words and role nouns before the name.
            roles = lexicon.load(lang).role_words
            if (all(w[:1].isupper() or w in roles for w in words) and len(words) <= 4) or (
                all(w[:1].isupper() or w in roles for w in clause) and len(clause) <= 4
            ):
                out.append(_Subject(s, e["name"], e["id"], None, e["label"]))
        else:
            # `من جهته، رحب سعادة الوزير X`: the clause after a comma opens with its verb too.
            clause = re.findall(r"[\w\u064b-\u0652]+", re.split(r"[،,؛;]", lead)[-1])
            opens_with_preposition = bool(clause) and _ar_preposition(clause[0])
            if (len(words) <= 5 and not any(w in _AR_PREPOSITIONS for w in words)) or (
                len(clause) <= 5
                and not opens_with_preposition
                and not any(w in _AR_PREPOSITIONS for w in clause)
            ):
                out.append(_Subject(s, e["name"], e["id"], None, e["label"]))
    return out


def _ar_preposition(word: str) -> bool:
    """A clause opener that is a preposition, or a noun governed by one (`بحضور`, `برئاسة`).

    A clause after a comma opens with its verb when a subject follows; a prefixed ب or ل
    on a word of five letters or more is a preposition on a noun (verbs that start with
    those letters are shorter: بحث، بدأ، باشر), and what follows it is not a subject.
    """
    return word in _AR_PREPOSITIONS or (word[:1] in "بل" and not word.startswith("ال") and len(word) >= 5)


def _name_like(name: str) -> bool:
    """One to four letter-only tokens, not all of them definite common nouns (الوزارة، الشركة)."""
    toks = name_tokens(name)
    # definiteness is read on the words as written: normalised, `ألفة` would read `الفة`
    if not 1 <= len(toks) <= 4 or all(w.startswith("ال") for w in name.split()):
        return False
    return all(t.replace("-", "").replace("'", "").isalpha() for t in toks)


def _speaker(
    e: dict[str, Any] | None, name: str, start: int | None, end: int | None, how: str
) -> dict[str, Any]:
    return {
        "name": e["name"] if e else name,
        "entity_id": e["id"] if e else None,
        "start": start,
        "end": end,
        "resolution": how,
    }


def _found(s: int, t: int, e: dict[str, Any]) -> dict[str, Any]:
    return _speaker(e, e["name"], s, t, "explicit")


def _named(evidence: dict[str, Any], mentions, entities) -> dict[str, Any] | None:
    """A speaker named next to the cue: the entity there, or the name guess."""
    region = evidence.get("region")
    if region:
        # A speaker is a person or an organisation: a place in the phrase (`في القاهرة`,
        # `سوق السيدة زينب`) is where it was said. A "place" that opens the phrase and no
        # gazetteer knows is a name the tagger mislabelled (`وقالت ريما خوري`).
        inside = _within(mentions, region[0], region[1])
        inside = [
            x for x in inside if x[2]["label"] != "LOC" or (x[0] == region[0] and not _known_place(x[2]))
        ]
        guess = evidence.get("name")
        ranked = sorted(inside, key=lambda x: (_LABEL_RANK[x[2]["label"]], x[0]))
        named = _entity_by_name(guess, [x[2] for x in ranked]) if guess else None
        if named is not None:
            return _found(*next(x for x in ranked if x[2] is named))
        if guess and _name_like(guess) and inside:
            guess_toks = set(name_tokens(guess))
            if not any(guess_toks & set(name_tokens(x[2]["name"])) for x in inside):
                # A proper name the tagger missed, next to entities it did see (often
                # mislabelled): the name the grammar points at is the speaker.
                return _speaker(None, guess, region[0], region[1], "explicit")
        if inside:
            return _found(*min(inside, key=lambda x: (_LABEL_RANK[x[2]["label"]], x[0])))
    pre = evidence.get("pre_region")
    if pre:
        people = [x for x in _within(mentions, pre[0], pre[1]) if x[2]["label"] == "PER"]
        if people:
            return _found(*max(people, key=lambda x: x[0]))
    name = evidence.get("name")
    if name:
        e = _entity_by_name(name, entities)
        if e is not None and e["label"] not in ("PER", "ORG") and _known_place(e):
            return None  # the name the grammar found is a place: nobody the article quotes
        return _speaker(e, name, region[0] if region else None, region[1] if region else None, "explicit")
    return None


def _known_place(e: dict[str, Any]) -> bool:
    """A LOC entity a gazetteer knows by one of its names: a place, never a speaker."""
    from newsenrich.nlp import gazetteer

    lang = "ar" if any("\u0600" <= ch <= "\u06ff" for ch in e["name"]) else "en"
    gaz = gazetteer.load(lang)
    return e["label"] == "LOC" and any(gaz.is_place(m["text"]) for m in e["mentions"])


def _head_form(head: str) -> str:
    h = normalize(head)
    return h[2:] if h.startswith("ال") and len(h) > 3 else h


class _Discourse:
    """What the article has said so far: speakers, subjects, genders, and whom each group noun meant."""

    def __init__(self, body: str, lang: str, mentions, entities):
        self.body = body
        self.lang = lang
        self.mentions = mentions
        self.by_id = {e["id"]: e for e in entities}
        lex = lexicon.load(lang)
        # A tagger's sentence-initial `Told` is no one: names that are cue words never speak.
        self.subjects = [s for s in _subject_mentions(body, mentions, lang) if lex.cue(s.name) is None]
        self.people = [
            _Subject(s, e["name"], e["id"], None, "PER")
            for s, _, e in mentions
            if e["label"] == "PER" and lex.cue(e["name"]) is None
        ]
        self.gender: dict[str, str] = {}
        if lang == "en":
            for e in entities:
                if e["label"] == "PER" and (g := name_gender(e["name"])):
                    self.gender[e["id"]] = g
        self.meant: dict[str, str] = {}  # group or statement noun -> entity id it stood for
        self.last: _Subject | None = None
        self.last_org: _Subject | None = None
        self.org_counts: dict[str, int] = {}
        self.first_at: dict[str, int] = {}
        in_marks = {e["id"] for e in entities if _named_in_marks(e, body)}
        for s, _, e in mentions:
            self.first_at.setdefault(e["id"], s)
            if e["label"] == "ORG" and e["id"] not in in_marks:
                # (An outlet or a brand named only in «», a byline's «الجريدة» say, is a
                # source, never the organisation the article is about.)
                self.org_counts[e["id"]] = self.org_counts.get(e["id"], 0) + 1

    def gender_of(self, s: _Subject) -> str | None:
        return self.gender.get(s.entity_id or "", s.gender)

    def compatible(self, s: _Subject, ev: dict[str, Any]) -> bool:
        gender = ev.get("gender")
        known = self.gender_of(s)
        if gender in ("m", "f") and known in ("m", "f") and known != gender:
            return False
        if self.lang == "en" and ev.get("np") == "pronoun":
            word = (ev.get("name") or "").lower()
            if word in ("he", "she"):
                return s.label == "PER"
            if word == "it":
                return s.label == "ORG"
        return True

    def _speaker(self, s: _Subject) -> dict[str, Any]:
        return {"name": s.name, "entity_id": s.entity_id, "resolution": "discourse"}

    def _recent(self, pos: int, q_start: int) -> bool:
        """At most one paragraph lies between the last speaker and this quote."""
        return self.body.count("\n", pos, q_start) <= 3

    def elided(self, ev: dict[str, Any], q_start: int) -> dict[str, Any] | None:
        """The one the discourse is about, for `وقال:`, `he said`, a quote of its own."""
        if self.lang == "en" and ev.get("np") == "pronoun" and (ev.get("name") or "").lower() in ("i", "we"):
            return None
        pre = ev.get("pre_region")
        if pre:
            # `وقفت سعاد …، وقالت:`, `أما X، فقال:`: the subject earlier in the same sentence.
            here = [
                _Subject(x[0], x[2]["name"], x[2]["id"], None, x[2]["label"])
                for x in _within(self.mentions, pre[0], pre[1])
                if x[2]["label"] in ("PER", "ORG")
            ]
            here = [s for s in here if self.compatible(s, ev)]
            people = [s for s in here if s.label == "PER"] or here
            if people:
                return self._speaker(people[-1] if self.lang == "en" else people[0])
        last = self.last
        recent = last is not None and last.pos < q_start and self._recent(last.pos, q_start)
        pronoun = self.lang == "en" and ev.get("np") == "pronoun"
        if recent and not pronoun and self.compatible(last, ev):
            return self._speaker(last)  # وقال:, a quote of its own: carries on the one speaking
        # English `he said`: the latest compatible subject or speaker; then anyone named
        # (`… stood beside officer Karen Liu. She said …`).
        pools = (
            [self.subjects, self.people]
            if self.lang == "en" and ev.get("np") == "pronoun"
            else [self.subjects]
        )
        for pool in pools:
            before = [s for s in pool if s.pos < q_start and self.compatible(s, ev)]
            if before:
                return self._speaker(max(before, key=lambda s: s.pos))
        return None

    def honorific(self, ev: dict[str, Any], q_start: int) -> dict[str, Any] | None:
        """`سموه`, `معاليها`: the person the article named with that honorific.

        The holders are the people named right after the honorific (`صاحب السمو الشيخ
        X`, `معالي الوزيرة Y`) or right after a role it introduces (`سعادة أمين المنطقة`).
        Of those, the one most recently in subject position or speaking: two men titled
        سعادة each own the سعادته of their own paragraph, and a سمو named after `بحضور`
        does not take the speech of the ruler who is the subject.
        """
        forms = _honorific_forms(self.body, self.lang).get(_head_form(ev.get("head") or ""), [])
        people = [x for x in self.mentions if x[2]["label"] == "PER"]
        starts = [x[0] for x in people]
        holders: dict[str, int] = {}
        governed: set[str] = set()
        for start, end in _spans_before(self.body, forms, q_start):
            holder = _first_after(people, starts, end, _ROLE_REACH)
            if holder is not None:
                holders.setdefault(holder[2]["id"], holder[0])
                before = re.findall(r"[\w\u064b-\u0652]+", self.body[max(0, start - 30) : start])
                if before and normalize(before[-1]) == "صاحب" and len(before) > 1:
                    before = before[:-1]  # `بحضور صاحب السمو …`
                if before and _ar_preposition(normalize(before[-1])):
                    governed.add(holder[2]["id"])  # `بحضور سمو الشيخ X`: X attends, someone else acts
        if len(governed) < len(holders):
            holders = {k: v for k, v in holders.items() if k not in governed}
        holders = {
            eid: at
            for eid, at in holders.items()
            if self.compatible(_Subject(at, "", eid, None, "PER"), {"gender": ev.get("gender")})
        }
        if not holders:
            return None
        spoke = [s for s in self.subjects if s.entity_id in holders and s.pos < q_start]
        if spoke:
            return self._speaker(max(spoke, key=lambda s: s.pos))
        eid = max(holders, key=lambda i: holders[i])
        return _speaker(self.by_id[eid], "", None, None, "discourse")

    def organisation(self, ev: dict[str, Any], q_start: int, entities) -> dict[str, Any] | None:
        """The organisation a group noun, `an OPEC delegate` or a statement stands for."""
        region = ev.get("region")
        np = ev.get("np")
        if region:
            inside = _within(self.mentions, region[0], region[1])
            orgs = [x for x in inside if x[2]["label"] == "ORG"]
            if not orgs and np == "group":
                # `وجاء في بيان صادر عن أرامكو`: the grammar says an organisation, whatever the tag.
                orgs = [x for x in inside if x[2]["label"] == "PER"]
            if orgs:
                return _found(*orgs[0])
        name = ev.get("name")
        if np in ("org_of", "group") and name:
            # `an OPEC delegate`, `هيئة الطرق والمواصلات`, `Richmond police`: named right there
            # (an organisation of that name, never the place in it: Richmond is not its police).
            e = _entity_by_name(name, [x for x in entities if x["label"] == "ORG"])
            if e is not None:
                return _speaker(e, name, *(region or (None, None)), "explicit")
            # `المركز الإعلامي`, `the FBI's field office`: an office of no name of its own
            # speaks for the organisation it belongs to, found below like a group noun's.
            # Only an organisation the head noun points at, unless the head is an office (a
            # part speaks for the whole): a guess at the article's main organisation would
            # take the speech of a group the article names but never tagged.
            office = lexicon.load(self.lang).is_in(ev.get("head") or "", lexicon.load(self.lang).office_nouns)
            fallback = _speaker(None, name, *(region or (None, None)), "explicit")
            return self._organisation_of_head(ev, q_start, guess=office) or fallback
        return self._organisation_of_head(ev, q_start)

    def _organisation_of_head(
        self, ev: dict[str, Any], q_start: int, guess: bool = True
    ) -> dict[str, Any] | None:
        np = ev.get("np")
        head = ev.get("head")
        key = _head_form(head) if head else np or ""
        if key in self.meant and self.meant[key] in self.by_id:
            return _speaker(self.by_id[self.meant[key]], "", None, None, "discourse")
        if head and np != "statement":
            carriers = [
                x for x in self.mentions if x[2]["label"] == "ORG" and key in name_tokens(x[2]["name"])
            ]
            if carriers:
                before = [x for x in carriers if x[0] < q_start]
                return _speaker((before or carriers)[-1][2], "", None, None, "discourse")
        if not guess:
            return None
        if np == "statement" and self.last_org is not None:
            return self._speaker(self.last_org)
        if self.org_counts:
            # The organisation the article is about: one its lead paragraph names, then the one
            # named most, then the first named.
            lead_end = self.body.find("\n\n") if "\n\n" in self.body else len(self.body)
            best = max(
                self.org_counts,
                key=lambda i: (
                    self.first_at.get(i, 0) < lead_end,
                    self.org_counts[i],
                    -self.first_at.get(i, 0),
                ),
            )
            return _speaker(self.by_id[best], "", None, None, "discourse")
        return None

    def record(self, q: dict[str, Any], ev: dict[str, Any], speaker: dict[str, Any]) -> None:
        region = ev.get("region")
        at = region[0] if region and speaker["resolution"] == "explicit" else q["start"]
        eid = speaker.get("entity_id")
        label = self.by_id[eid]["label"] if eid in self.by_id else None
        gender = ev.get("gender") if ev.get("gender") in ("m", "f") else None
        if eid and gender and eid not in self.gender and (self.lang != "en" or ev.get("np") == "pronoun"):
            self.gender[eid] = gender  # the text says so: قالت X, or `she` resolved to X
        if ev.get("np") in ("group", "statement", "org_of") and eid:
            head = ev.get("head")
            self.meant[_head_form(head) if head else ev["np"]] = eid
        self.last = _Subject(at, speaker["name"], eid, gender, label)
        if label == "ORG" or ev.get("np") in ("group", "org_of", "statement"):
            self.last_org = self.last
        self.subjects.append(self.last)


def _qualified_holder(qualifier: str, body: str, before: int, mentions) -> dict[str, Any] | None:
    """`الوزير السوري`: the person named right after that adjective (`ونظيره السوري فراس السقا`)."""
    people = [x for x in mentions if x[2]["label"] == "PER"]
    starts = [x[0] for x in people]
    best = None
    for _, end in _spans_before(body, [_head_form(qualifier)], before):
        best = _first_after(people, starts, end, _ROLE_REACH // 2) or best
    return _speaker(best[2], "", None, None, "discourse") if best else None


def _other_nisba(body: str, mention: tuple[int, int, dict[str, Any]], qualifier: str) -> bool:
    """A nisba adjective other than `qualifier` stands just before the person (`السوري … فراس`)."""
    if mention[2]["label"] != "PER":
        return False
    lead = re.findall(r"[\w\u064b-\u0652]+", body[max(0, mention[0] - _ROLE_REACH // 2) : mention[0]])
    nisbas = {_head_form(w) for w in lead if normalize(w).startswith("ال") and normalize(w).endswith("ي")}
    return bool(nisbas) and _head_form(qualifier) not in nisbas


def _role_holder(head: str, body: str, q_start: int, mentions) -> dict[str, Any] | None:
    """The person the article gave this role: `professor Maria Delgado`, `Maria Delgado, a professor`."""
    people = [x for x in mentions if x[2]["label"] == "PER"]
    starts = [x[0] for x in people]
    best = None
    # `محافظ أسيوط X` holds the role of `فرد المحافظ`: the word is compared without its article.
    for w_start, w_end in _spans_before(body, [_head_form(head)], q_start):
        lo = bisect.bisect_left(starts, w_start - _ROLE_REACH - 200)  # people ending before the word
        hi = bisect.bisect_right(starts, w_end + _ROLE_REACH)
        # The role and its holder in one sentence (`X، محافظ أسيوط`, `محافظ أسيوط اللواء X`): a
        # person at the end of the sentence before (`… سحر عبدالمنعم. واكد المحافظ`) holds nothing.
        near = [
            x
            for x in people[lo:hi]
            if ((0 <= x[0] - w_end <= _ROLE_REACH) or (0 <= w_start - x[1] <= _ROLE_REACH))
            and not _SENTENCE_BREAK.search(body, min(w_end, x[1]), max(w_start, x[0]))
        ]
        if near:
            best = min(near, key=lambda x: min(abs(x[0] - w_end), abs(w_start - x[1])))
    return _speaker(best[2], "", None, None, "discourse") if best else None


def _relays(region: list[int], body: str, lang: str) -> bool:
    """`حسب ما نقلته صحيفة «الصباح»`: the source phrase has a quoting verb (it carried someone
    else's words; `حسب ما أوردته «X»`, where the outlet states the content, has none)."""
    quoting = lexicon.load(lang).quoting_verbs
    phrase = body[max(0, region[0] - 16) : region[1]]  # `حسب ما نقلته` may stand before the region
    words = [normalize(w) for w in re.findall(r"[\w\u064b-\u0652]+", phrase)]
    return any(w.startswith(v) for w in words for v in quoting)


def _named_in_marks(e: dict[str, Any], body: str) -> bool:
    """Every mention of `e` in the body stands between « and »."""
    spans = [(m["start"], m["end"]) for m in e["mentions"] if m.get("field", "body") == "body"]
    return bool(spans) and all(body[s - 1 : s] == "«" and body[t : t + 1] == "»" for s, t in spans)


def _addressed(body: str, start: int) -> bool:
    """The name at `start` follows the preposition ل, written apart (`لـ«X»`, `لـ X`)."""
    lead = body[max(0, start - 4) : start].replace("«", "").replace('"', "").rstrip()
    return lead.endswith(("لـ", " ل")) or lead == "ل"


def _beyond_phrase(ev: dict[str, Any], mentions, body: str = "", lang: str = "ar") -> dict[str, Any] | None:
    """`وفقا لأحدث تقديرات منظمة الأغذية`, `حسب ما أوردته «شوف تي في»`: a source or time phrase
    whose guess is no name; the person or organisation the tagger found inside it speaks.

    Not an outlet that only relays (`حسب ما نقلته صحيفة «الصباح»`, a quoting verb): what it
    carried was someone else's to say.
    """
    region = ev.get("region")
    if not region:
        return None
    inside = [x for x in _within(mentions, region[0], region[1]) if x[2]["label"] in ("PER", "ORG")]
    if _relays(region, body, lang):
        inside = [x for x in inside if x[2]["label"] == "PER"]
    return _found(*min(inside, key=lambda x: (_LABEL_RANK[x[2]["label"]], x[0]))) if inside else None


def _organisation_in_phrase(speaker: dict[str, Any], lang: str) -> dict[str, Any] | None:
    """`لإحصائية الإدارة المركزية للإحصاء`: a source noun before an organisation's name the
    tagger missed; the name from its group noun on (`الإدارة المركزية للإحصاء`), else None."""
    if lang == "en":
        return None
    lex = lexicon.load(lang)
    words = speaker["name"].split()
    for k, w in enumerate(words[1:], 1):
        n = normalize(w)
        bare = "ال" + n[2:] if n.startswith("لل") else n[1:] if n.startswith("ل") else n
        if bare.startswith("ال") and bare in lex.group_nouns and k < len(words) - 1:
            rest = " ".join(words[k + 1 :])
            if not any(ch in rest for ch in '«»"()'):
                head = w[1:] if n.startswith("ل") and not n.startswith("لل") else w
                return {"name": f"{head} {rest}", "entity_id": None, "resolution": speaker.get("resolution")}
    return None


def _speaker_name(name: str, lang: str) -> bool:
    """A speaker named by the grammar alone, with no entity, must still read as a name.

    Letters only, one to four words, no calendar word or known place; in Arabic no function
    word, cue, pronoun (free or attached) or common noun the lexicon knows. A surname with
    the article (`الحبيب`, `الشريف`) is a name; `توقعات`, `لما`, `نقلته صحيفة «الصباح»`,
    `fraud`, `56` are not.
    """
    from newsenrich.nlp import gazetteer

    lex = lexicon.load(lang)
    words = name.split()
    if not 1 <= len(words) <= 4 or not all(w.replace("-", "").replace("'", "").isalpha() for w in words):
        return False
    if gazetteer.load(lang).is_calendar(name) or gazetteer.load(lang).is_place(name):
        return False
    if lang == "en":
        # The peers' convention keeps a pronoun with nobody to refer to (`he`) and a common
        # noun phrase (`the girl`, `Richmond police`); a lone lowercase word is neither.
        if all(w.lower() in lex.function_words for w in words):
            return False  # `Several` (other groups have reported …), `Some`, `Another`
        return not (len(words) == 1 and words[0].islower() and words[0] not in lex.pronouns)
    banned = lex.role_words | lex.manner_words | lex.speech_nouns | lex.anonymous_nouns | lex.statement_nouns
    for k, w in enumerate(words):
        if lex.cue(w) or lex.pronoun(w) or lex.suffix_of(w) or lex.is_according_to(w):
            return False
        after_head = k > 0 and normalize(words[k - 1]) in NAME_HEADS  # `أبو علي`
        if lex.is_stop(w) and not after_head and not (k == 0 and len(words) > 1 and w.endswith("ي")):
            return False  # (`علي الخفاجي` is a name spelled like على once ى and ي are folded)
    if len(words) == 1 and (lex.is_in(words[0], banned) or lex.is_in(words[0], lex.group_nouns)):
        return False
    # `لأحدث تقديرات`, `لإحصائية …`: a prepositional phrase, not a name
    return not (re.match("^(?:و|ف)?(?:بال|لل|كال|ل)", normalize(words[0])) and len(normalize(words[0])) > 4)


def _outside(spans: list[tuple[int, int]]) -> Callable[[int, int], bool]:
    """A test that [s, t) lies inside none of `spans` (sorted once, then a bisect per call)."""
    ordered = sorted(spans)
    starts = [a for a, _ in ordered]
    reach = list(itertools.accumulate((b for _, b in ordered), max))

    def outside(s: int, t: int) -> bool:
        k = bisect.bisect_right(starts, s)  # spans starting at or before s
        return not (k and reach[k - 1] >= t)

    return outside


def attribute(
    candidates: list[dict[str, Any]], entities: list[dict[str, Any]], body: str, lang: str
) -> list[dict[str, Any]]:
    """Final `quotes` of the contract from quote candidates and the article's entities."""
    quoted = [(q["start"], q["end"]) for q in candidates if q["kind"] != "indirect"]
    # A name inside a quote is spoken about, never the one speaking.
    outside = _outside(quoted)
    # A name after the preposition ل (`قالت لـ«الشرق الأوسط»`, `التابع لـ«أرامكو»`) is whom
    # it was said to or whose it is: never a subject, never the speaker.
    mentions = _Sorted(
        x for x in _body_mentions(entities) if outside(x[0], x[1]) and not _addressed(body, x[0])
    )
    talk = _Discourse(body, lang, mentions, entities)
    names = {name_tokens(m["text"]) for e in entities for m in e["mentions"]}
    out: list[dict[str, Any]] = []
    for q in sorted(candidates, key=lambda c: c["start"]):
        no_cue = q["kind"] == "mixed" or (q["kind"] == "direct" and not q.get("cue"))
        if no_cue and name_tokens(q["text"]) in names:
            continue  # a name in quote marks (`«الناتو»`, `"مينسك"`), not speech
        ev = q.get("evidence") or {}
        kind, np = ev.get("kind"), ev.get("np")
        speaker: dict[str, Any] | None = None
        if kind == "continued":
            if talk.last is not None:
                speaker = talk._speaker(talk.last)
        elif np in ("group", "org_of", "statement"):
            speaker = talk.organisation(ev, q["start"], entities)
        elif kind in ("explicit", "participle", "source"):
            if np == "role":
                # `the World Health Organization said`: a role word inside a name the tagger found.
                region = ev.get("region")
                named_here = [
                    x
                    for x in mentions
                    if region and x[2]["label"] in ("PER", "ORG") and x[0] >= region[0] and x[1] <= region[1]
                ]
                speaker = _found(*named_here[0]) if named_here else None
                holders = mentions
                if speaker is None and ev.get("qualifier"):
                    at = (ev.get("region") or [q["start"]])[0]
                    speaker = _qualified_holder(ev["qualifier"], body, at, mentions)
                    # `الوزير الأردني` when only the other was called `نظيره السوري`: not him.
                    holders = [x for x in mentions if not _other_nisba(body, x, ev["qualifier"])]
                if speaker is None:
                    speaker = _role_holder(ev.get("head") or "", body, q["start"], holders)
                if speaker is None and ev.get("of"):
                    speaker = talk.organisation({"np": "group", "head": ev["of"]}, q["start"], entities)
                if speaker is None:
                    speaker = talk.elided(ev, q["start"])
            else:
                speaker = _named(ev, mentions, entities)
                if speaker is not None and np == "nominal" and speaker["entity_id"] is None:
                    speaker["name"] = ev.get("name") or speaker["name"]
        if speaker is None and np == "pronoun" and ev.get("head"):
            speaker = talk.honorific(ev, q["start"])
        if speaker is None and kind in ("elided", "continued", "participle"):
            speaker = talk.elided(ev, q["start"])
        if speaker is None and np == "pronoun" and ev.get("name") and lang == "en":
            # `he said` with nobody to refer to: the peers' convention keeps the pronoun.
            # An Arabic honorific or attached pronoun is never a speaker's name.
            speaker = {"name": ev["name"], "entity_id": None, "resolution": "discourse"}
        if (
            speaker is not None
            and speaker.get("entity_id") is None
            and not _speaker_name(speaker["name"], lang)
        ):
            # A source or time phrase the grammar took for the name: whoever the tagger found in
            # it speaks (`وفقا لتوقعات صندوق النقد الدولي`), else nobody.
            speaker = _beyond_phrase(ev, mentions, body, lang) or _organisation_in_phrase(speaker, lang)
        relayed = kind == "source" and ev.get("region") and _relays(ev["region"], body, lang)
        if (
            speaker is not None
            and relayed
            and talk.by_id.get(speaker.get("entity_id") or "", {}).get("label") != "PER"
        ):
            speaker = None  # an outlet that relayed the report is not the one who made it
        if speaker is not None:
            if kind == "source":
                speaker["resolution"] = "source"
            if not speaker.get("name") and speaker.get("entity_id") in talk.by_id:
                speaker["name"] = talk.by_id[speaker["entity_id"]]["name"]
            talk.record(q, ev, speaker)
            if speaker["resolution"] != "explicit" or speaker.get("start") is None:
                speaker = {k: v for k, v in speaker.items() if k not in ("start", "end")}
        out.append({k: q[k] for k in ("kind", "text", "start", "end", "cue")} | {"speaker": speaker})
    return out


def _proper_name(name: str, lang: str) -> bool:
    """A speaker guess that is a proper name: no pronoun, role, manner word or common noun phrase."""
    if not _name_like(name):
        return False
    lex = lexicon.load(lang)
    words = name.split()
    if lang == "en":
        if not all(w[:1].isupper() for w in words):
            return False
        low = [w.lower().rstrip(".") for w in words]
        if all(w in lex.function_words for w in low):
            return False  # `Several` (other groups have said …): a determiner opening the sentence
        return not any(w in lex.pronouns or w in lex.role_words or w in lex.group_nouns for w in low)
    banned = lex.role_words | lex.manner_words | lex.speech_nouns | lex.group_nouns | lex.anonymous_nouns
    # `عبد الأمير`, `أبو علي`: the word after a name's head is the name's, whatever else it spells.
    words = [w for k, w in enumerate(words) if not (k and normalize(words[k - 1]) in NAME_HEADS)]
    # `علي الخفاجي`: a first name that normalises like a preposition (على) is the name's
    first_name = len(words) > 1 and words[0].endswith("ي") and not words[0].startswith("ال")
    return not any(
        lex.is_in(w, banned) or (lex.is_stop(w) and not (k == 0 and first_name)) or lex.cue(w)
        for k, w in enumerate(words)
    )


def speakers_are_people(
    quotes: list[dict[str, Any]],
    entities: list[dict[str, Any]],
    lang: str,
    candidates: list[dict[str, Any]] | None = None,
) -> int:
    """A named speaker the tagger called MISC, or a place no gazetteer knows, is a person.

    Organisations and countries speak too (قالت الوزارة, Egypt said), so an ORG or a
    known place keeps its label; but a MISC name, or an unknown `place`, that is the
    subject of a reporting verb (قالت ريما خوري) is someone. Returns how many changed.
    """
    from newsenrich.nlp import gazetteer

    gaz = gazetteer.load(lang)
    phrase = {(c["start"], c["end"]): (c.get("evidence") or {}).get("np") for c in candidates or []}
    by_id = {e["id"]: e for e in entities}
    changed = 0
    for q in quotes:
        sp = q.get("speaker") or {}
        if sp.get("resolution") != "explicit" or phrase.get((q["start"], q["end"])) != "name":
            continue
        e = by_id.get(sp.get("entity_id") or "")
        if e is None and sp.get("name"):
            # MISC entities are not speaker candidates: the name the grammar points at finds them
            toks = name_tokens(sp["name"])
            e = next(
                (
                    x
                    for x in entities
                    if x["label"] == "MISC" and toks in {name_tokens(m["text"]) for m in x["mentions"]}
                ),
                None,
            )
            if e is not None:
                sp["entity_id"], sp["name"] = e["id"], e["name"]
        if e is None:
            continue
        forms = {m["text"] for m in e["mentions"]}
        if e["label"] == "MISC" or (e["label"] == "LOC" and not any(gaz.is_place(f) for f in forms)):
            e["label"] = "PER"
            changed += 1
    return changed


def promote_speakers(
    quotes: list[dict[str, Any]],
    entities: list[dict[str, Any]],
    title: str | None,
    body: str,
    lang: str = "ar",
    candidates: list[dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Entities for explicitly named speakers the NER missed; returns the new entities.

    The subject of a reporting verb, named next to the quote, is a person
    whatever the tagger said: `وقال الرئيس التنفيذي للشركة، «فهد العتيبي»،`
    names a speaker even when the model saw nothing there. Only proper names
    are promoted (never a pronoun, a role, an adverb or a common noun
    phrase), as PER, with every occurrence in the article.
    """
    from newsenrich.nlp.entities import add_entity, widen_entity

    # What phrase named each speaker: only a name makes a person (not `a DOE spokesperson`).
    phrase = {(c["start"], c["end"]): (c.get("evidence") or {}).get("np") for c in candidates or []}
    added: list[dict[str, Any]] = []
    for q in quotes:
        sp = q.get("speaker")
        if not sp or sp["entity_id"] is not None or sp.get("resolution") != "explicit":
            continue
        if phrase.get((q["start"], q["end"])) not in (None, "name", "region"):
            continue
        full = None if _proper_name(sp["name"], lang) else _full_name_of_surname(sp["name"], body, lang)
        if full is None and not _proper_name(sp["name"], lang):
            continue
        if _entity_by_name(sp["name"], entities + added) is not None:
            continue
        ent = add_entity(entities + added, sp["name"], "PER", title, body)
        if ent is not None:
            if full is not None:
                widen_entity(ent, full, title, body, entities + added)
            added.append(ent)
    return added


def _full_name_of_surname(surname: str, body: str, lang: str) -> str | None:
    """`وأضاف الدباس`: a family name with the article is a person's when the article wrote it
    after a first name (`معتز الدباس`) that the tagger missed; the full name, or None.

    A definite word alone could be any noun (الوزارة، المتحدث); a first name before it,
    somewhere in the article, is what makes it a surname.
    """
    toks = surname.split()
    if lang != "ar" or len(toks) != 1 or not normalize(surname).startswith("ال"):
        return None
    lex = lexicon.load(lang)
    banned = lex.role_words | lex.manner_words | lex.speech_nouns | lex.group_nouns | lex.anonymous_nouns
    if lex.is_in(surname, banned) or lex.is_stop(surname) or lex.cue(surname):
        return None
    for s, t in _word_positions(body).get(_head_form(surname), []):
        before = re.search(r"([\w\u064b-\u0652]+) $", body[max(0, s - 40) : s])
        if body[s:t] != surname or before is None:
            continue
        first = before.group(1)
        if (
            not normalize(first).startswith("ال")  # (فراس, وليد, بسام: first names start with any letter)
            and first.isalpha()
            and len(first) > 2
            and not (lex.is_role(first) or lex.is_stop(first) or lex.cue(first) or lex.is_in(first, banned))
            and lex.pronoun(first) is None
            and lex.suffix_of(first) is None
        ):
            return f"{first} {surname}"
    return None


def widen_speakers(
    quotes: list[dict[str, Any]],
    entities: list[dict[str, Any]],
    title: str | None,
    body: str,
    lang: str,
    candidates: list[dict[str, Any]],
) -> bool:
    """A speaker named in full next to the quote (`وقالت بريا مينون`) whose entity the tagger cut short.

    The entity takes the full name, with its occurrences; returns whether one did.
    """
    from newsenrich.nlp.entities import widen_entity

    evidence = {(c["start"], c["end"]): c.get("evidence") or {} for c in candidates}
    by_id = {e["id"]: e for e in entities}
    changed = False
    for q in quotes:
        sp = q.get("speaker") or {}
        ev = evidence.get((q["start"], q["end"]), {})
        guess, ent = ev.get("name"), by_id.get(sp.get("entity_id") or "")
        if not guess or ent is None or ev.get("np") not in (None, "name") or ent["label"] != "PER":
            continue
        short, full = name_tokens(ent["name"]), name_tokens(guess)
        if len(full) <= len(short) or len(full) > 4 or full[-len(short) :] != short:
            continue
        if _proper_name(guess, lang) and widen_entity(ent, guess, title, body, entities):
            changed = True
    return changed
