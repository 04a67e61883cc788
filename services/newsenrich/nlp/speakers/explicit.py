"""Speakers named next to the cue: the entity in the phrase, the name guess, the holder of a
role or of a nisba-qualified role, or the name beyond a source or time phrase.
"""

from __future__ import annotations

import bisect
import re

from newsenrich.nlp import lexicon
from newsenrich.nlp.speakers.discourse import found_speaker, speaker_record
from newsenrich.nlp.speakers.lookup import (
    LABEL_RANK,
    ROLE_REACH,
    SENTENCE_BREAK,
    Placed,
    entity_by_name,
    first_after,
    head_form,
    known_place,
    relays,
    spans_before,
    within,
)
from newsenrich.nlp.speakers.names import name_like
from newsenrich.nlp.text import name_tokens, normalize
from newsenrich.nlp.values import Entity, Speaker, SpeakerEvidence


def named_speaker(
    evidence: SpeakerEvidence, mentions: list[Placed], entities: list[Entity]
) -> Speaker | None:
    """A speaker named next to the cue: the entity there, or the name guess."""
    region = evidence.region
    if region:
        # A speaker is a person or an organisation: a place in the phrase (`في القاهرة`,
        # `سوق السيدة زينب`) is where it was said. A "place" that opens the phrase and no
        # gazetteer knows is a name the tagger mislabelled (`وقالت ريما خوري`).
        inside = within(mentions, region[0], region[1])
        inside = [x for x in inside if x[2].label != "LOC" or (x[0] == region[0] and not known_place(x[2]))]
        guess = evidence.name
        ranked = sorted(inside, key=lambda x: (LABEL_RANK[x[2].label], x[0]))
        named = entity_by_name(guess, [x[2] for x in ranked]) if guess else None
        if named is not None:
            return found_speaker(*next(x for x in ranked if x[2] is named))
        if guess and name_like(guess) and inside:
            guess_toks = set(name_tokens(guess))
            if not any(guess_toks & set(name_tokens(x[2].name)) for x in inside):
                # A proper name the tagger missed, next to entities it did see (often
                # mislabelled): the name the grammar points at is the speaker.
                return speaker_record(None, guess, region[0], region[1], "explicit")
        if inside:
            return found_speaker(*min(inside, key=lambda x: (LABEL_RANK[x[2].label], x[0])))
    pre = evidence.pre_region
    if pre:
        people = [x for x in within(mentions, pre[0], pre[1]) if x[2].label == "PER"]
        if people:
            return found_speaker(*max(people, key=lambda x: x[0]))
    name = evidence.name
    if name:
        e = entity_by_name(name, entities)
        if e is not None and e.label not in ("PER", "ORG") and known_place(e):
            return None  # the name the grammar found is a place: nobody the article quotes
        return speaker_record(
            e, name, region[0] if region else None, region[1] if region else None, "explicit"
        )
    return None


def qualified_holder(qualifier: str, body: str, before: int, mentions: list[Placed]) -> Speaker | None:
    """`الوزير السوري`: the person named right after that adjective (`ونظيره السوري فراس السقا`)."""
    people = [x for x in mentions if x[2].label == "PER"]
    starts = [x[0] for x in people]
    best: Placed | None = None
    for _, end in spans_before(body, [head_form(qualifier)], before):
        best = first_after(people, starts, end, ROLE_REACH // 2) or best
    return speaker_record(best[2], "", None, None, "discourse") if best else None


def other_nisba(body: str, mention: Placed, qualifier: str) -> bool:
    """A nisba adjective other than `qualifier` stands just before the person (`السوري … فراس`)."""
    if mention[2].label != "PER":
        return False
    lead = re.findall(r"[\w\u064b-\u0652]+", body[max(0, mention[0] - ROLE_REACH // 2) : mention[0]])
    nisbas = {head_form(w) for w in lead if normalize(w).startswith("ال") and normalize(w).endswith("ي")}
    return bool(nisbas) and head_form(qualifier) not in nisbas


def role_holder(head: str, body: str, q_start: int, mentions: list[Placed]) -> Speaker | None:
    """The person the article gave this role: `professor Maria Delgado`, `Maria Delgado, a professor`."""
    people = [x for x in mentions if x[2].label == "PER"]
    starts = [x[0] for x in people]
    best: Placed | None = None
    # `محافظ أسيوط X` holds the role of `فرد المحافظ`: the word is compared without its article.
    for w_start, w_end in spans_before(body, [head_form(head)], q_start):
        lo = bisect.bisect_left(starts, w_start - ROLE_REACH - 200)  # people ending before the word
        hi = bisect.bisect_right(starts, w_end + ROLE_REACH)
        # The role and its holder in one sentence (`X، محافظ أسيوط`, `محافظ أسيوط اللواء X`): a
        # person at the end of the sentence before (`… سحر عبدالمنعم. واكد المحافظ`) holds nothing.
        near = [
            x
            for x in people[lo:hi]
            if ((0 <= x[0] - w_end <= ROLE_REACH) or (0 <= w_start - x[1] <= ROLE_REACH))
            and not SENTENCE_BREAK.search(body, min(w_end, x[1]), max(w_start, x[0]))
        ]
        if near:
            best = min(near, key=lambda x: min(abs(x[0] - w_end), abs(w_start - x[1])))
    return speaker_record(best[2], "", None, None, "discourse") if best else None


def beyond_phrase(
    ev: SpeakerEvidence, mentions: list[Placed], body: str = "", lang: str = "ar"
) -> Speaker | None:
    """`وفقا لأحدث تقديرات منظمة الأغذية`, `حسب ما أوردته «شوف تي في»`: a source or time phrase
    whose guess is no name; the person or organisation the tagger found inside it speaks.

    Not an outlet that only relays (`حسب ما نقلته صحيفة «الصباح»`, a quoting verb): what it
    carried was someone else's to say.
    """
    region = ev.region
    if not region:
        return None
    inside = [x for x in within(mentions, region[0], region[1]) if x[2].label in ("PER", "ORG")]
    if relays(region, body, lang):
        inside = [x for x in inside if x[2].label == "PER"]
    return found_speaker(*min(inside, key=lambda x: (LABEL_RANK[x[2].label], x[0]))) if inside else None


def organisation_in_phrase(speaker: Speaker, lang: str) -> Speaker | None:
    """`لإحصائية الإدارة المركزية للإحصاء`: a source noun before an organisation's name the
    tagger missed; the name from its group noun on (`الإدارة المركزية للإحصاء`), else None."""
    if lang == "en":
        return None
    lex = lexicon.load(lang)
    words = speaker.name.split()
    for k, w in enumerate(words[1:], 1):
        n = normalize(w)
        bare = "ال" + n[2:] if n.startswith("لل") else n[1:] if n.startswith("ل") else n
        if bare.startswith("ال") and bare in lex.group_nouns and k < len(words) - 1:
            rest = " ".join(words[k + 1 :])
            if not any(ch in rest for ch in '«»"()'):
                head = w[1:] if n.startswith("ل") and not n.startswith("لل") else w
                return Speaker(f"{head} {rest}", None, speaker.resolution)
    return None
