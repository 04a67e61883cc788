"""The name-matching normalisation: what it folds, and offsets that lead back to the article."""

from __future__ import annotations

import random
import re

import pytest

from newsenrich.nlp.text import INVISIBLE, name_tokens, ner_fold, ner_view, normalize, normalize_with_offsets

_DIACRITIC = re.compile("[\u064b-\u0652\u0670\u0640]")


def _reference(s: str) -> tuple[str, list[int]]:
    """The definition, one character at a time: drop diacritics and tatweel, fold the rest."""
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(s):
        if _DIACRITIC.match(ch) or ch in INVISIBLE:
            continue
        n = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"}.get(ch, ch).casefold()
        chars.append(n)
        index.extend([i] * len(n))
    return "".join(chars), index


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("أحمد", "احمد"),
        ("إسرائيل", "اسرائيل"),
        ("مُحَمَّد", "محمد"),
        ("الأمـــم", "الامم"),
        ("مصطفى", "مصطفي"),
        ("القاهرة", "القاهره"),
        ("Straße", "strasse"),
        ("İstanbul", "i̇stanbul"),
    ],
)
def test_normalize_sees_through_spelling_variants(raw: str, folded: str) -> None:
    assert normalize(raw) == folded
    assert normalize_with_offsets(raw)[0] == folded


def test_offsets_lead_back_to_the_original_characters() -> None:
    text = "قالَ «أحمد» في Straße: ﬁne"
    folded, index = normalize_with_offsets(text)
    assert len(index) == len(folded)
    start = folded.index("احمد")
    assert text[index[start] : index[start + 3] + 1] == "أحمد"
    s = folded.index("strasse")
    assert text[index[s] : index[s + 6] + 1] == "Straße"


_ALPHABET = "أإآٱاىيةهبتمحد" + "\u064b\u064e\u0650\u0651\u0652\u0670\u0640" + "aBßİﬁΣς «»,. \n\u200f\ufeff"


def test_matches_the_character_by_character_definition_on_random_text() -> None:
    rng = random.Random(7)
    for _ in range(2000):
        # short strings (names) and article-length ones take different paths to the same fold
        s = "".join(rng.choice(_ALPHABET) for _ in range(rng.choice([rng.randint(0, 40), 200])))
        folded, index = normalize_with_offsets(s)
        assert (folded, list(index)) == _reference(s), repr(s)
        assert normalize(s) == _reference(s)[0]


def test_the_tagger_view_is_the_fold_one_character_at_a_time() -> None:
    """`ner_view` folds like `normalize` but keeps case and ة; its index leads back."""
    rng = random.Random(11)
    for _ in range(2000):
        s = "".join(rng.choice(_ALPHABET) for _ in range(rng.choice([rng.randint(0, 40), 200])))
        kept = [i for i, ch in enumerate(s) if not _DIACRITIC.match(ch) and ch not in INVISIBLE]
        want = "".join({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي"}.get(s[i], s[i]) for i in kept)
        folded, index = ner_view(s)
        assert folded == want and ner_fold(s) == (want or s)
        assert index == (None if len(kept) == len(s) else kept)


def test_name_tokens_match_the_two_spellings_of_the_united_nations() -> None:
    assert name_tokens("للأمم المتحدة") == name_tokens("الأمم المتحدة")


def _reference_tokens(s: str) -> tuple[str, ...]:
    """`name_tokens` written plainly, a character at a time."""
    import unicodedata

    from newsenrich.nlp.text import _EDGE_PUNCT, JOINED_HEADS

    def fold(ch: str) -> str:
        if ch.isascii() or "\u0600" <= ch <= "\u06ff":
            return ch
        return "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))

    cleaned = "".join(fold(" " if ch in _EDGE_PUNCT and ch not in "'’" else ch) for ch in s)
    toks = [re.sub(r"(?:['’]s|['’])$", "", normalize(t)).strip("'’") for t in cleaned.split()]
    toks = ["ال" + t[2:] if t.startswith("لل") and len(t) > 4 else t for t in toks if t]
    # a head and the word after it are one token (`عبد المهدي` -> `عبدالمهدي`), left to right
    heads = "|".join(sorted(JOINED_HEADS))
    return tuple(re.sub(rf"(?<!\S)({heads}) (\S+)", r"\1\2", " ".join(toks)).split())


def test_name_tokens_are_the_plain_definitions_on_random_names() -> None:
    alphabet = [*"عبدالمهيأة ", "للأمم", "أبو", *"aBsİăé'’‘«»().,-", "Obama's", "\u064e", "\u200f"]
    rng = random.Random(5)
    for _ in range(3000):
        s = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert name_tokens(s) == _reference_tokens(s), repr(s)
