"""What the article has said so far: who spoke last, who stood in subject position, the
gender each speaker's verbs gave, and whom each group or statement noun stood for. Elided,
pronoun, honorific and group speakers are resolved against it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsenrich.nlp import lexicon
from newsenrich.nlp.gender import name_gender
from newsenrich.nlp.speakers.lookup import (
    ROLE_REACH,
    Placed,
    entity_by_name,
    first_after,
    head_form,
    honorific_forms,
    named_in_marks,
    sentence_start,
    spans_before,
    within,
)
from newsenrich.nlp.speakers.names import AR_PREPOSITIONS, ar_preposition
from newsenrich.nlp.text import name_tokens, normalize
from newsenrich.nlp.values import Entity, QuoteSpan, Span, Speaker, SpeakerEvidence


@dataclass
class _Subject:
    pos: int
    name: str
    entity_id: str | None
    gender: str | None
    label: str | None


# A feminine title is a noun: adjectives that agree with one (`العامة`, `السابقة`, a nisba in
# `ية`) also follow masculine titles' complements (`رئيس الهيئة العامة`, `رئيس الحكومة السابقة`).
_NOT_TITLES = frozenset(normalize(w) for w in ("العامة", "السابقة", "الأسبقة", "المستقلة", "الشابة"))


def _feminine_title_before(body: str, at: int, lex: lexicon.Lexicon) -> bool:
    """The word right before a name is a title written feminine, with its ة: `النائبة`, `الوزيرة`,
    `السيدة`. Read from the text as written: normalising spells ة and the pronoun ه alike
    (`نظيره` is his counterpart)."""
    lead = body[max(0, at - 40) : at]
    if not lead[-1:].isspace() or "\n" in lead[len(lead.rstrip()) :]:
        return False
    words = lead.split()
    if not words:
        return False
    word = words[-1][1:] if words[-1].startswith("وال") else words[-1]  # `والنائبة`, not `وزيرة`
    if not word.endswith("ة") or word.endswith("ية"):
        return False
    form = normalize(word)
    return form in lex.role_words and form not in _NOT_TITLES


def _subject_mentions(body: str, mentions: list[Placed], lang: str) -> list[_Subject]:
    """People and organisations named in subject position: near the start of their sentence."""
    out = []
    for s, _, e in mentions:
        if e.label not in ("PER", "ORG"):
            continue
        lead = body[sentence_start(body, s) : s]
        words = re.findall(r"[\w\u064b-\u0652]+", lead)
        if lang == "en":
            # `At an evening update, West Kelowna Mayor Tom Brandt stood …`: the clause after a comma.
            clause = re.findall(r"[\w\u064b-\u0652]+", re.split(r"[,;—–]", lead)[-1])
            # `United boss Kieran Doyle was …`: capitalised words and role nouns before the name.
            roles = lexicon.load(lang).role_words
            if (all(w[:1].isupper() or w in roles for w in words) and len(words) <= 4) or (
                all(w[:1].isupper() or w in roles for w in clause) and len(clause) <= 4
            ):
                out.append(_Subject(s, e.name, e.id, None, e.label))
        else:
            # `من جهته، رحب سعادة الوزير X`: the clause after a comma opens with its verb too.
            clause = re.findall(r"[\w\u064b-\u0652]+", re.split(r"[،,؛;]", lead)[-1])
            opens_with_preposition = bool(clause) and ar_preposition(clause[0])
            if (len(words) <= 5 and not any(w in AR_PREPOSITIONS for w in words)) or (
                len(clause) <= 5
                and not opens_with_preposition
                and not any(w in AR_PREPOSITIONS for w in clause)
            ):
                out.append(_Subject(s, e.name, e.id, None, e.label))
    return out


def speaker_record(e: Entity | None, name: str, start: int | None, end: int | None, how: str) -> Speaker:
    """The entity `e` as a speaker, else the bare `name`; `start`/`end` where it was named."""
    return Speaker(e.name if e else name, e.id if e else None, how, start, end)


def _bounds(region: Span | None) -> tuple[int | None, int | None]:
    return region if region is not None else (None, None)


def found_speaker(s: int, t: int, e: Entity) -> Speaker:
    return speaker_record(e, e.name, s, t, "explicit")


class Discourse:
    """What the article has said so far: speakers, subjects, genders, and whom each group noun meant."""

    def __init__(self, body: str, lang: str, mentions: list[Placed], entities: list[Entity]):
        self.body = body
        self.lang = lang
        self.mentions = mentions
        self.by_id: dict[str, Entity] = {e.id: e for e in entities}
        lex = lexicon.load(lang)
        # A tagger's sentence-initial `Told` is no one: names that are cue words never speak.
        self.subjects = [s for s in _subject_mentions(body, mentions, lang) if lex.cue(s.name) is None]
        self.people = [
            _Subject(s, e.name, e.id, None, "PER")
            for s, _, e in mentions
            if e.label == "PER" and lex.cue(e.name) is None
        ]
        self.gender: dict[str, str] = {}
        if lang == "en":
            for e in entities:
                if e.label == "PER" and (g := name_gender(e.name)):
                    self.gender[e.id] = g
        elif lang == "ar":
            for s, _, e in mentions:
                if e.label == "PER" and e.id not in self.gender and _feminine_title_before(body, s, lex):
                    self.gender[e.id] = "f"  # `النائبة رنا الحجايا`: the title says so from the start
        self.meant: dict[str, str] = {}  # group or statement noun -> entity id it stood for
        self.last: _Subject | None = None
        self.last_org: _Subject | None = None
        self.org_counts: dict[str, int] = {}
        self.first_at: dict[str, int] = {}
        in_marks = {e.id for e in entities if named_in_marks(e, body)}
        for s, _, e in mentions:
            self.first_at.setdefault(e.id, s)
            if e.label == "ORG" and e.id not in in_marks:
                # (An outlet or a brand named only in «», a byline's «الجريدة» say, is a
                # source, never the organisation the article is about.)
                self.org_counts[e.id] = self.org_counts.get(e.id, 0) + 1

    def gender_of(self, s: _Subject) -> str | None:
        return self.gender.get(s.entity_id or "", s.gender)

    def compatible(self, s: _Subject, ev: SpeakerEvidence) -> bool:
        gender = ev.gender
        known = self.gender_of(s)
        if gender in ("m", "f") and known in ("m", "f") and known != gender:
            return False
        if self.lang == "en" and ev.np == "pronoun":
            word = (ev.name or "").lower()
            if word in ("he", "she"):
                return s.label == "PER"
            if word == "it":
                return s.label == "ORG"
        return True

    def label_of(self, entity_id: str | None) -> str | None:
        e = self.by_id.get(entity_id) if entity_id is not None else None
        return e.label if e is not None else None

    def as_speaker(self, s: _Subject) -> Speaker:
        return Speaker(s.name, s.entity_id, "discourse")

    def _recent(self, pos: int, q_start: int) -> bool:
        """At most one paragraph lies between the last speaker and this quote."""
        return self.body.count("\n", pos, q_start) <= 3

    def elided(self, ev: SpeakerEvidence, q_start: int) -> Speaker | None:
        """The one the discourse is about, for `وقال:`, `he said`, a quote of its own."""
        if self.lang == "en" and ev.np == "pronoun" and (ev.name or "").lower() in ("i", "we"):
            return None
        pre = ev.pre_region
        if pre:
            # `وقفت سعاد …، وقالت:`, `أما X، فقال:`: the subject earlier in the same sentence.
            here = [
                _Subject(x[0], x[2].name, x[2].id, None, x[2].label)
                for x in within(self.mentions, pre[0], pre[1])
                if x[2].label in ("PER", "ORG")
            ]
            here = [s for s in here if self.compatible(s, ev)]
            people = [s for s in here if s.label == "PER"] or here
            if people:
                return self.as_speaker(people[-1] if self.lang == "en" else people[0])
        last = self.last
        recent = last is not None and last.pos < q_start and self._recent(last.pos, q_start)
        pronoun = self.lang == "en" and ev.np == "pronoun"
        if last is not None and recent and not pronoun and self.compatible(last, ev):
            return self.as_speaker(last)  # وقال:, a quote of its own: carries on the one speaking
        # English `he said`: the latest compatible subject or speaker; then anyone named
        # (`… stood beside officer Karen Liu. She said …`).
        pools = [self.subjects, self.people] if self.lang == "en" and ev.np == "pronoun" else [self.subjects]
        for pool in pools:
            before = [s for s in pool if s.pos < q_start and self.compatible(s, ev)]
            if before:
                return self.as_speaker(max(before, key=lambda s: s.pos))
        return None

    def honorific(self, ev: SpeakerEvidence, q_start: int) -> Speaker | None:
        """`سموه`, `معاليها`: the person the article named with that honorific.

        The holders are the people named right after the honorific (`صاحب السمو الشيخ
        X`, `معالي الوزيرة Y`) or right after a role it introduces (`سعادة أمين المنطقة`).
        Of those, the one most recently in subject position or speaking: two men titled
        سعادة each own the سعادته of their own paragraph, and a سمو named after `بحضور`
        does not take the speech of the ruler who is the subject.
        """
        forms = honorific_forms(self.body, self.lang).get(head_form(ev.head or ""), [])
        people = [x for x in self.mentions if x[2].label == "PER"]
        starts = [x[0] for x in people]
        holders: dict[str, int] = {}
        governed: set[str] = set()
        for start, end in spans_before(self.body, forms, q_start):
            holder = first_after(people, starts, end, ROLE_REACH)
            if holder is not None:
                holders.setdefault(holder[2].id, holder[0])
                before = re.findall(r"[\w\u064b-\u0652]+", self.body[max(0, start - 30) : start])
                if before and normalize(before[-1]) == "صاحب" and len(before) > 1:
                    before = before[:-1]  # `بحضور صاحب السمو …`
                if before and ar_preposition(normalize(before[-1])):
                    governed.add(holder[2].id)  # `بحضور سمو الشيخ X`: X attends, someone else acts
        if len(governed) < len(holders):
            holders = {k: v for k, v in holders.items() if k not in governed}
        holders = {
            eid: at
            for eid, at in holders.items()
            if self.compatible(_Subject(at, "", eid, None, "PER"), SpeakerEvidence("", gender=ev.gender))
        }
        if not holders:
            return None
        spoke = [s for s in self.subjects if s.entity_id in holders and s.pos < q_start]
        if spoke:
            return self.as_speaker(max(spoke, key=lambda s: s.pos))
        eid = max(holders, key=lambda i: holders[i])
        return speaker_record(self.by_id[eid], "", None, None, "discourse")

    def organisation(self, ev: SpeakerEvidence, q_start: int, entities: list[Entity]) -> Speaker | None:
        """The organisation a group noun, `an OPEC delegate` or a statement stands for."""
        region = ev.region
        np = ev.np
        if region:
            inside = within(self.mentions, region[0], region[1])
            orgs = [x for x in inside if x[2].label == "ORG"]
            if not orgs and np == "group":
                # `وجاء في بيان صادر عن أرامكو`: the grammar says an organisation, whatever the tag.
                orgs = [x for x in inside if x[2].label == "PER"]
            if orgs:
                return found_speaker(*orgs[0])
        name = ev.name
        if np in ("org_of", "group") and name:
            # `an OPEC delegate`, `هيئة الطرق والمواصلات`, `Richmond police`: named right there
            # (an organisation of that name, never the place in it: Richmond is not its police).
            e = entity_by_name(name, [x for x in entities if x.label == "ORG"])
            if e is not None:
                return speaker_record(e, name, *_bounds(region), "explicit")
            # `المركز الإعلامي`, `the FBI's field office`: an office of no name of its own
            # speaks for the organisation it belongs to, found below like a group noun's.
            # Only an organisation the head noun points at, unless the head is an office (a
            # part speaks for the whole): a guess at the article's main organisation would
            # take the speech of a group the article names but never tagged.
            office = lexicon.load(self.lang).is_in(ev.head or "", lexicon.load(self.lang).office_nouns)
            fallback = speaker_record(None, name, *_bounds(region), "explicit")
            return self._organisation_of_head(ev, q_start, guess=office) or fallback
        return self._organisation_of_head(ev, q_start)

    def _organisation_of_head(self, ev: SpeakerEvidence, q_start: int, guess: bool = True) -> Speaker | None:
        np = ev.np
        head = ev.head
        key = head_form(head) if head else np or ""
        if key in self.meant and self.meant[key] in self.by_id:
            return speaker_record(self.by_id[self.meant[key]], "", None, None, "discourse")
        if head and np != "statement":
            # `وقالت الإدارة` after `الإدارة العامة للعلاقات`: the head noun, article or none, in
            # the name as the text gave it there (an office may be named as the body it is).
            carriers = [
                x
                for x in self.mentions
                if x[2].label == "ORG" and key in {head_form(t) for t in name_tokens(self.body[x[0] : x[1]])}
            ]
            if carriers:
                before = [x for x in carriers if x[0] < q_start]
                return speaker_record((before or carriers)[-1][2], "", None, None, "discourse")
        if not guess:
            return None
        if np == "statement" and self.last_org is not None:
            return self.as_speaker(self.last_org)
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
            return speaker_record(self.by_id[best], "", None, None, "discourse")
        return None

    def record(self, q: QuoteSpan, ev: SpeakerEvidence, speaker: Speaker) -> None:
        region = ev.region
        at = region[0] if region and speaker.resolution == "explicit" else q.start
        eid = speaker.entity_id
        label = self.label_of(eid)
        gender = ev.gender if ev.gender in ("m", "f") else None
        if eid and gender and eid not in self.gender and (self.lang != "en" or ev.np == "pronoun"):
            self.gender[eid] = gender  # the text says so: قالت X, or `she` resolved to X
        if ev.np in ("group", "statement", "org_of") and eid:
            head = ev.head
            self.meant[head_form(head) if head else ev.np or ""] = eid
        self.last = _Subject(at, speaker.name, eid, gender, label)
        if label == "ORG" or ev.np in ("group", "org_of", "statement"):
            self.last_org = self.last
        self.subjects.append(self.last)
