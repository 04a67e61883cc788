"""Orthographic normalisation used for matching names, never for output text.

Arabic news writes the same name with and without hamza on alef, with ة or
ه, with or without diacritics and tatweel; matching must see through that
while every offset and `text` we emit stays the article's own characters.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Harakat, superscript alef and tatweel: written or not, the word is the same. And the
# invisible: NUL, zero-width spaces and joiners, direction marks and embeddings, the BOM,
# which feeds paste into names (`\u200fالرئيس`) and which no reader sees.
INVISIBLE = "".join(
    map(chr, [0x00, 0xAD, *range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0xFEFF])
)
_DROPPED = "".join(map(chr, [*range(0x064B, 0x0653), 0x0670, 0x0640])) + INVISIBLE
_DIACRITICS = re.compile(f"[{_DROPPED}]")
# One table does the character mapping of `normalize` in a single pass: diacritics and
# tatweel dropped, alef forms to bare alef, ى to ي, ة to ه. The joiner normalises every
# article when it promotes a speaker to an entity; a per-character loop cost it more
# than the rest of the join.
_FOLD = str.maketrans(dict.fromkeys(_DROPPED) | dict.fromkeys("أإآٱ", "ا") | {"ى": "ي", "ة": "ه"})
QUOTE_MARKS = "«»\"“”„‟‹›'‘’"
_EDGE_PUNCT = QUOTE_MARKS + "()[]{}.,:;!?؛،؟…-–—/"

# Proclitics that attach to an Arabic word: conjunctions و/ف, prepositions ب/ل/ك.
PROCLITICS = ("وب", "ول", "وك", "فب", "فل", "و", "ف", "ب", "ل", "ك")


def normalize(s: str) -> str:
    """Case-, diacritic- and alef-insensitive form of `s` for comparisons."""
    return s.translate(_FOLD).casefold()


@lru_cache(maxsize=1 << 16)
def name_tokens(s: str) -> tuple[str, ...]:
    """Normalised tokens of a name, quote marks and punctuation removed.

    Spellings of one name meet: `لل` + noun is ل + ال written together
    (للأمم المتحدة); `عبد` and `أبو` are written apart or joined (عبد المهدي,
    عبدالمهدي); a possessive is the name (`Obama's`); Latin diacritics fold
    (Isărescu, Isarescu).
    """
    cleaned = "".join(" " if ch in _EDGE_PUNCT and ch not in "'’" else ch for ch in s)
    if not cleaned.isascii():
        cleaned = "".join(_fold_latin(ch) for ch in cleaned)
    toks = [re.sub(r"(?:['’]s|['’])$", "", normalize(t)).strip("'’") for t in cleaned.split()]
    toks = ["ال" + t[2:] if t.startswith("لل") and len(t) > 4 else t for t in toks if t]
    out: list[str] = []
    for t in toks:
        if out and out[-1] in JOINED_HEADS:
            out[-1] += t
        else:
            out.append(t)
    return tuple(out)


def _fold_latin(ch: str) -> str:
    """`ă` -> `a`; Arabic letters (whose hamza NFKD would split off) stay as they are."""
    if ch.isascii() or "\u0600" <= ch <= "\u06ff":
        return ch
    return "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))


JOINED_HEADS = frozenset({"عبد", "ابو", "ابي"})
# Words that open an Arabic name and take the next word into it whatever that word spells
# (عبد الأمير، أبو علي، أم حسن، بن سعد): the quote rules and attribution both read names so.
NAME_HEADS = frozenset(
    normalize(w) for w in ("عبد", "أبو", "أبي", "بن", "ابن", "بنت", "آل", "أم", "ذو")
)  # written apart or joined to the next word


def without_article(token: str) -> str:
    """A normalised token without its definite article (`الريال` -> `ريال`); short words keep it,
    since in them `ال` is as often part of the word (`الى`)."""
    return token[2:] if token.startswith("ال") and len(token) > 4 else token


def is_arabic_word(s: str) -> bool:
    return bool(s) and all("\u0600" <= ch <= "\u06ff" for ch in s)


def normalize_with_offsets(s: str) -> tuple[str, list[int]]:
    """`normalize(s)` and, for each of its characters, the index it came from in `s`.

    Lets a search run over normalised text and report spans in the original.
    Case folding has no context, so it works on the whole string at once; only a
    character that folds to several (ß -> ss) makes the index repeat its position.
    """
    mapped = s.translate(_FOLD)
    if len(mapped) == len(s):
        index = list(range(len(s)))
    else:
        dropped = {m.start() for m in _DIACRITICS.finditer(s)}
        index = [i for i in range(len(s)) if i not in dropped]
    folded = mapped.casefold()
    if len(folded) != len(mapped):
        index = [i for i, ch in zip(index, mapped, strict=True) for _ in ch.casefold()]
    return folded, index


# What the Arabic NER models read: hamza forms folded to bare alef and ى to ي (the
# spelling of NewsFANE and WikiFANE, most of their training text), diacritics and
# tatweel dropped. Unlike `normalize` it keeps case and ة, which a tagger uses.
_NER_FOLD = str.maketrans(dict.fromkeys(_DROPPED) | dict.fromkeys("أإآٱ", "ا") | {"ى": "ي"})


def ner_fold(s: str) -> str:
    """The form of Arabic text the NER models are trained on and fed; see `ner_view`."""
    folded = s.translate(_NER_FOLD)
    return folded or s


def ner_view(s: str) -> tuple[str, list[int] | None]:
    """`ner_fold(s)` and, when it dropped characters, the index in `s` of each kept one.

    The tagger sees the folded text; spans it finds are mapped back through the
    index, so every offset the service emits is into the article's own text.
    """
    folded = s.translate(_NER_FOLD)
    if len(folded) == len(s):
        return folded, None
    dropped = {m.start() for m in _DIACRITICS.finditer(s)}
    return folded, [i for i in range(len(s)) if i not in dropped]
