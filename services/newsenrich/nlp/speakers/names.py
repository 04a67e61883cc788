"""Whether a phrase the grammar found reads as a name: a speaker with no entity, and a name to
promote to an entity, must be letters, one to four words, and no pronoun, honorific, cue,
calendar word, place or common noun.
"""

from __future__ import annotations

import re

from newsenrich.nlp import gazetteer, lexicon
from newsenrich.nlp.speakers.lookup import head_form, word_positions
from newsenrich.nlp.text import NAME_HEADS, name_tokens, normalize

AR_PREPOSITIONS = {"مع", "عن", "إلى", "الى", "على", "من", "في", "مثل", "بين", "لدى"}


def ar_preposition(word: str) -> bool:
    """A clause opener that is a preposition, or a noun governed by one (`بحضور`, `برئاسة`).

    A clause after a comma opens with its verb when a subject follows; a prefixed ب or ل
    on a word of five letters or more is a preposition on a noun (verbs that start with
    those letters are shorter: بحث، بدأ، باشر), and what follows it is not a subject.
    """
    return word in AR_PREPOSITIONS or (word[:1] in "بل" and not word.startswith("ال") and len(word) >= 5)


def name_like(name: str) -> bool:
    """One to four letter-only tokens, not all of them definite common nouns (الوزارة، الشركة)."""
    toks = name_tokens(name)
    # definiteness is read on the words as written: normalised, `ألفة` would read `الفة`
    if not 1 <= len(toks) <= 4 or all(w.startswith("ال") for w in name.split()):
        return False
    return all(t.replace("-", "").replace("'", "").isalpha() for t in toks)


def speaker_name(name: str, lang: str) -> bool:
    """A speaker named by the grammar alone, with no entity, must still read as a name.

    Letters only, one to four words, no calendar word or known place; in Arabic no function
    word, cue, pronoun (free or attached) or common noun the lexicon knows. A surname with
    the article (`الحبيب`, `الشريف`) is a name; `توقعات`, `لما`, `نقلته صحيفة «الصباح»`,
    `fraud`, `56` are not.
    """

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


def proper_name(name: str, lang: str) -> bool:
    """A speaker guess that is a proper name: no pronoun, role, manner word or common noun phrase."""
    if not name_like(name):
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


def full_name_of_surname(surname: str, body: str, lang: str) -> str | None:
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
    for s, t in word_positions(body).get(head_form(surname), []):
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
