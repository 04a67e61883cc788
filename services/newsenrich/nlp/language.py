"""Which language an article is in, when its producer did not say.

The script decides between Arabic and Latin-script news, deterministically and in
microseconds; a language model (lingua, whose models ship in its wheel) then tells
Arabic from Persian and Urdu, and English from French, Spanish and the rest, so that
an article in a language the service has no models for is refused with its name
rather than enriched by the wrong model (`در تهران` a person, `Le` a speaker).
A confident verdict is required to refuse: a short or mixed text (an Arabic article
quoting an English name) keeps its script's language.
"""

from __future__ import annotations

from functools import cache
from typing import Any

SAMPLE_CHARS = 2000  # enough for a verdict; detection cost stays flat however long the body
MIN_CONFIDENCE = 0.6  # below it, the script's language stands
MIN_LETTERS = 80  # a shorter text (a headline, `Burton said, "I love cats!"`) keeps its script's


def _is_arabic(ch: str) -> bool:
    o = ord(ch)
    return 0x0600 <= o <= 0x06FF or 0x0750 <= o <= 0x077F or 0x08A0 <= o <= 0x08FF or 0xFB50 <= o <= 0xFEFF


def script_language(text: str) -> str | None:
    """'ar' or 'en' by majority of letters, or None when the text has neither script."""
    arabic = latin = 0
    for ch in text:
        if not ch.isalpha():
            continue
        if _is_arabic(ch):
            arabic += 1
        elif ch.isascii() or 0x00C0 <= ord(ch) <= 0x024F:
            latin += 1
    if arabic == 0 and latin == 0:
        return None
    return "ar" if arabic >= latin else "en"


@cache
def _detector() -> Any:
    from lingua import LanguageDetectorBuilder

    # Low-accuracy mode uses the trigram models only: far less memory, and an article's
    # first two thousand characters are plenty for it.
    return LanguageDetectorBuilder.from_all_spoken_languages().with_low_accuracy_mode().build()


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of `text`'s language ('ar', 'en', or another the service will refuse)."""
    sample = text[:SAMPLE_CHARS]
    by_script = script_language(sample)
    if by_script is None or sum(ch.isalpha() for ch in sample) < MIN_LETTERS:
        return by_script
    detector = _detector()
    found = detector.detect_language_of(sample)
    if found is None:
        return by_script
    code = str(found.iso_code_639_1.name).lower()
    if code == by_script:
        return code
    if detector.compute_language_confidence(sample, found) >= MIN_CONFIDENCE:
        return code
    return by_script
