"""Quote marks as the web writes them, paired into quoted spans.

Glyph direction is unreliable in real news: Arabic sites write ”…“ as often
as “…”, straight and curly marks mix (`:"…”`), single marks double as
apostrophes (`Jones' cow`, `dog‘s`), and a stray mark left by an editing
slip sits in the middle of a paragraph. So a mark opens or closes by its
*context* (what stands on either side), not by its shape:

* opening: at a paragraph start or after a space, bracket, dash or colon,
  with a word right after it;
* closing: after a word or sentence punctuation, with a space, punctuation
  or the paragraph end after it;
* a mark with spaces on both sides is stray; a single mark between letters
  is an apostrophe.

Marks come in three families that close only each other: double
(`" “ ” „`), guillemets (`« » ‹ ›`) and single (`' ‘ ’ ‚`). Nesting of the
same or another family is tracked on a stack, and a closing mark with no
opener of its family is ignored, so one stray mark cannot derail the pairs
after it.

Across paragraphs (lines of the body): a double quote left open at the end
of a line is, by the press convention, continued when the next paragraph
opens with a mark of its family (each paragraph of a long quote reopens it,
only the last one closes); each paragraph gives one segment, the later ones
marked `continues`. Within a block of lines with no blank line between
them, an open quote whose next mark is a closing one spans the lines. Any
other double quote left open runs to the end of its paragraph (`unclosed`).
A single mark left open is far more often an apostrophe, so it opens an
unclosed quote only right after a colon.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

FAMILY = {
    '"': "double",
    "“": "double",
    "”": "double",
    "„": "double",
    "‟": "double",
    "«": "guillemet",
    "»": "guillemet",
    "‹": "guillemet",
    "›": "guillemet",
    "'": "single",
    "‘": "single",
    "’": "single",
    "‚": "single",
}
MARKS = frozenset(FAMILY)
_OPEN_GLYPH = frozenset("„«‹‚")  # marks whose shape only ever opens (in the press we read)
_CLOSE_GLYPH = frozenset("»›")
_BEFORE_OPEN = frozenset("([{—–-/:") | {"\u00a0"}
_AFTER_CLOSE = frozenset(".,;:!?،؛؟…)]}—–-/") | {"\u00a0"}


@dataclass(frozen=True)
class QuotedSpan:
    """One quoted segment: `[start, end)` is the content between the marks (body offsets).

    `open_mark`/`close_mark` are the marks' offsets (None when a segment has no
    mark on that side: the end of an unclosed or continued quote). `continues`
    says the segment carries on the quote of the segment before it.
    """

    start: int
    end: int
    open_mark: int
    close_mark: int | None
    family: str
    continues: bool = False
    unclosed: bool = False
    depth: int = 0  # 0 for an outermost span, 1 for a span nested in another, ...


def _role(text: str, i: int) -> str | None:
    """'open', 'close', 'either', 'spaced' (spaces around it) or None (an apostrophe) for the mark at `i`."""
    ch = text[i]
    prev = text[i - 1] if i > 0 else "\n"
    nxt = text[i + 1] if i + 1 < len(text) else "\n"
    prev_space = prev.isspace() or prev in _BEFORE_OPEN or prev in MARKS
    next_space = nxt.isspace() or nxt in _AFTER_CLOSE or nxt in MARKS
    family = FAMILY[ch]
    if family == "single" and prev.isalnum() and nxt.isalnum():
        return None  # don't, dog‘s, it’s
    if prev.isspace() and nxt.isspace():
        # A mark standing alone: stray, unless the line pairs it (`وزاد ” هذه … ”`).
        return None if family == "single" else "spaced"
    if prev_space and not next_space:
        return "open"
    if next_space and not prev_space:
        return "close"
    if ch in _OPEN_GLYPH:
        return "open"
    if ch in _CLOSE_GLYPH:
        return "close"
    return "either"


@dataclass
class _Open:
    pos: int
    family: str
    continues: bool = False


def _lines(body: str) -> list[tuple[int, int, bool]]:
    """(start, end, blank_before) of each non-empty line."""
    out: list[tuple[int, int, bool]] = []
    pos = 0
    blank = False
    for line in body.split("\n"):
        end = pos + len(line)
        if line.strip():
            out.append((pos, end, blank))
            blank = False
        else:
            blank = True
        pos = end + 1
    return out


def _closes_later(body: str, start: int, end: int, family: str) -> bool:
    """A mark of `family` that can close stands later in [start, end)."""
    return any(
        body[k] in MARKS and FAMILY[body[k]] == family and _role(body, k) in ("close", "either", "spaced")
        for k in range(start, end)
    )


def _first_mark(
    body: str, lines: list[tuple[int, int, bool]], n: int, family: str | None = None
) -> tuple[int, str] | None:
    """The first pairing mark (offset, role), of `family` if given, from line `n` to the end of its block."""
    for k in range(n, len(lines)):
        lstart, lend, blank_before = lines[k]
        if k > n and blank_before:
            return None
        for i in range(lstart, lend):
            if body[i] in MARKS and (family is None or FAMILY[body[i]] == family):
                role = _role(body, i)
                if role is not None:
                    return i, role
    return None


def _content(body: str, start: int, end: int) -> tuple[int, int]:
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    return start, end


def quoted_spans(body: str) -> list[QuotedSpan]:
    """Every quoted segment of `body`, in order of its opening mark."""
    out: list[QuotedSpan] = []
    stack: list[_Open] = []
    lines = _lines(body)

    def emit(o: _Open, close: int | None, end: int, *, unclosed: bool = False) -> None:
        s, e = _content(body, o.pos + 1, end)
        if e > s:
            out.append(QuotedSpan(s, e, o.pos, close, o.family, o.continues, unclosed))

    reopen_at: int | None = None  # a line-initial mark taken as the continuation of an open quote
    for n, (lstart, lend, _) in enumerate(lines):
        for i in range(lstart, lend):
            ch = body[i]
            if ch not in MARKS or i == reopen_at:
                continue
            role = _role(body, i)
            if role is None:
                continue
            family = FAMILY[ch]
            innermost = next((k for k in range(len(stack) - 1, -1, -1) if stack[k].family == family), None)
            if role == "spaced":
                if innermost is not None:
                    role = "close"
                elif _closes_later(body, i + 1, lend, family):
                    role = "open"
                else:
                    continue  # `Hello,   " he said`: a stray mark
            if role == "either":
                role = "close" if innermost is not None else "open"
            if role == "close":
                if innermost is None:
                    continue  # a stray closing mark: ignored, the pairs around it stand
                o = stack[innermost]
                emit(o, i, i)
                del stack[innermost:]  # unclosed marks of other families inside it are dropped
            else:
                stack.append(_Open(i, family))
        # End of the line: what becomes of the quotes still open?
        nxt = lines[n + 1] if n + 1 < len(lines) else None
        first = _first_mark(body, lines, n + 1) if nxt is not None else None
        carried: list[_Open] = []
        reopen_at = None
        for o in list(stack):
            if nxt is not None and first is not None and FAMILY[body[first[0]]] == o.family:
                line_initial = first[0] < nxt[1] and not body[nxt[0] : first[0]].strip()
                if (
                    line_initial
                    and first[1] in ("open", "either", "spaced")
                    and reopen_at is None
                    and o.family != "single"
                ):
                    emit(o, None, lend)  # this paragraph's segment; the next paragraph continues it
                    carried.append(_Open(first[0], o.family, continues=True))
                    reopen_at = first[0]
                    continue
            own = _first_mark(body, lines, n + 1, o.family) if nxt is not None and not nxt[2] else None
            if own is not None and own[1] in ("close", "either", "spaced"):
                carried.append(o)  # the text closes it on a later line of the same block
                continue
            # An open single mark is far more often an apostrophe (`'90s`, `'em`); it opens
            # an unclosed quote only right after a colon (`said: 'By the time …`).
            if o.family != "single" or body[max(0, o.pos - 40) : o.pos].rstrip().endswith(":"):
                emit(o, None, lend, unclosed=True)
        stack = carried
    out.sort(key=lambda q: (q.open_mark, -q.end))
    return [replace(q, depth=sum(1 for p in out if p.start < q.start and q.end <= p.end)) for q in out]
