"""Orthographic normalisation used for matching names, never for output text.

Arabic news writes the same name with and without hamza on alef, with ة or
ه, with or without diacritics and tatweel; matching must see through that
while every offset and `text` we emit stays the article's own characters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

# Harakat, superscript alef and tatweel: written or not, the word is the same. And the
# invisible: NUL, zero-width spaces and joiners, direction marks and embeddings, the BOM,
# which feeds paste into names (`\u200fالرئيس`) and which no reader sees.
INVISIBLE = "".join(
    map(chr, [0x00, 0xAD, *range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0xFEFF])
)
_DROPPED = "".join(map(chr, [*range(0x064B, 0x0653), 0x0670, 0x0640])) + INVISIBLE


class _Fold:
    """A character fold: `dropped` characters removed, `mapped` ones replaced, offsets kept.

    `str.translate` with a mapping looks every character up in a dict: about 65 ns a
    character, a tenth of a millisecond for an ordinary article, and the entities worker
    folds each article twice (for the tagger and for matching). One regex pass removes the
    dropped characters, where there are any, and one `str.replace` per mapped letter does
    the rest, five times faster on an article; short strings (names, words) keep the
    table, faster there. Both give the same string (a test holds them equal).
    """

    SHORT = 64

    def __init__(self, dropped: str, mapped: dict[str, str]):
        self.table = str.maketrans(dict.fromkeys(dropped) | mapped)
        self.dropped = re.compile(f"[{dropped}]+")
        self.pairs = tuple(mapped.items())

    def __call__(self, s: str) -> str:
        if len(s) < self.SHORT:
            return s.translate(self.table)
        return self._mapped(self.dropped.sub("", s))

    def _mapped(self, s: str) -> str:
        for a, b in self.pairs:
            s = s.replace(a, b)
        return s

    def with_index(self, s: str) -> tuple[str, list[int] | None]:
        """The fold, and for each of its characters its index in `s` (None: nothing dropped)."""
        kept: list[int] = []
        pieces: list[str] = []
        at = 0
        for m in self.dropped.finditer(s):
            kept += range(at, m.start())
            pieces.append(s[at : m.start()])
            at = m.end()
        if not pieces:
            return self._mapped(s), None
        kept += range(at, len(s))
        pieces.append(s[at:])
        return self._mapped("".join(pieces)), kept


_ALEFS = dict.fromkeys("أإآٱ", "ا")
# `normalize`: diacritics, tatweel and the invisible dropped, alef forms to bare alef, ى to ي,
# ة to ه. The joiner normalises every article when it promotes a speaker to an entity.
_FOLD = _Fold(_DROPPED, _ALEFS | {"ى": "ي", "ة": "ه"})
QUOTE_MARKS = "«»\"“”„‟‹›'‘’"
_EDGE_PUNCT = QUOTE_MARKS + "()[]{}.,:;!?؛،؟…-–—/"

# Proclitics that attach to an Arabic word: conjunctions و/ف, prepositions ب/ل/ك.
PROCLITICS = ("وب", "ول", "وك", "فب", "فل", "و", "ف", "ب", "ل", "ك")


def normalize(s: str) -> str:
    """Case-, diacritic- and alef-insensitive form of `s` for comparisons."""
    return _FOLD(s).casefold()


@lru_cache(maxsize=1 << 16)
def name_tokens(s: str) -> tuple[str, ...]:
    """Normalised tokens of a name, quote marks and punctuation removed.

    Spellings of one name meet: `لل` + noun is ل + ال written together
    (للأمم المتحدة); `عبد` and `أبو` are written apart or joined (عبد المهدي,
    عبدالمهدي); a possessive is the name (`Obama's`); Latin diacritics fold
    (Isărescu, Isarescu).
    """
    cleaned = s.translate(_PUNCT_TO_SPACE)
    if not cleaned.isascii() and _NOT_ARABIC_NOR_ASCII.search(cleaned):
        cleaned = "".join(_fold_latin(ch) for ch in cleaned)
    toks = [_possessive_off(t) for t in normalize(cleaned).split()]  # normalising makes no space
    toks = ["ال" + t[2:] if t.startswith("لل") and len(t) > 4 else t for t in toks if t]
    out: list[str] = []
    for t in toks:
        if out and out[-1] in JOINED_HEADS:
            out[-1] += t
        else:
            out.append(t)
    return tuple(out)


# Punctuation around or inside a name is a space; the apostrophe stays for the possessive.
_PUNCT_TO_SPACE = str.maketrans(dict.fromkeys(_EDGE_PUNCT.replace("'", "").replace("’", ""), " "))
# What `_fold_latin` may change: a name all ASCII or Arabic is not read a character at a time.
_NOT_ARABIC_NOR_ASCII = re.compile(r"[^\x00-\x7f\u0600-\u06ff]")
# A possessive ending (`Obama's`, `Reuters'`): a name's tokens, and a tagged span, end before it.
POSSESSIVE_END = re.compile(r"['’]s?$")


def _possessive_off(token: str) -> str:
    """`obama's` -> `obama`, `'hamas'` -> `hamas`."""
    if "'" not in token and "’" not in token:
        return token
    return POSSESSIVE_END.sub("", token).strip("'’")


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
    """Every character of `s` (one at least) is in the Arabic block."""
    return _ARABIC_BLOCK.fullmatch(s) is not None


_ARABIC_BLOCK = re.compile("[\u0600-\u06ff]+")


def normalize_with_offsets(s: str) -> tuple[str, Sequence[int]]:
    """`normalize(s)` and, for each of its characters, the index it came from in `s`.

    Lets a search run over normalised text and report spans in the original.
    Case folding has no context, so it works on the whole string at once; only a
    character that folds to several (ß -> ss) makes the index repeat its position.
    """
    mapped, kept = _FOLD.with_index(s)
    index: Sequence[int] = range(len(s)) if kept is None else kept  # a range costs nothing
    folded = mapped.casefold()
    if len(folded) != len(mapped):
        index = [i for i, ch in zip(index, mapped, strict=True) for _ in ch.casefold()]
    return folded, index


# What the Arabic NER models read: hamza forms folded to bare alef and ى to ي (the
# spelling of NewsFANE and WikiFANE, most of their training text), diacritics and
# tatweel dropped. Unlike `normalize` it keeps case and ة, which a tagger uses.
_NER_FOLD = _Fold(_DROPPED, _ALEFS | {"ى": "ي"})


def ner_fold(s: str) -> str:
    """The form of Arabic text the NER models are trained on and fed; see `ner_view`."""
    folded = _NER_FOLD(s)
    return folded or s


def ner_view(s: str) -> tuple[str, list[int] | None]:
    """`ner_fold(s)` and, when it dropped characters, the index in `s` of each kept one.

    The tagger sees the folded text; spans it finds are mapped back through the
    index, so every offset the service emits is into the article's own text.
    """
    return _NER_FOLD.with_index(s)
