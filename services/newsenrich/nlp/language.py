"""Language identification by script: enough to route Arabic and Latin-script news.

A script count is deterministic, costs microseconds and cannot be fooled by
short titles the way character n-gram models can. Latin script is reported
as English because English is the only Latin-script language the service has
models and quote rules for; a producer that knows better sets `language`.
"""

from __future__ import annotations


def _is_arabic(ch: str) -> bool:
    o = ord(ch)
    return 0x0600 <= o <= 0x06FF or 0x0750 <= o <= 0x077F or 0x08A0 <= o <= 0x08FF or 0xFB50 <= o <= 0xFEFF


def detect_language(text: str) -> str | None:
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
