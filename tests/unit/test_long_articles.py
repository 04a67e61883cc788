"""A very long article goes through in steps, so the articles behind it never wait for all of it."""

from __future__ import annotations

import asyncio

from newsenrich.nlp.entities import segments_of
from newsenrich.runtime.acks import InOrderAcks


def test_a_long_paragraph_is_cut_after_sentence_ends_and_offsets_hold():
    sentence = "وقال سامي الحداد إن الخطة جاهزة. "
    body = sentence * 2000 + "\nقصير"
    segs = segments_of("عنوان", body, longest=1000)
    body_segs = [s for s in segs if s.field == "body"]
    assert all(len(s.text) <= 1000 for s in body_segs)
    assert all(body[s.start : s.start + len(s.text)] == s.text for s in body_segs)
    assert "".join(s.text for s in body_segs) == body.replace("\n", "")
    assert all(s.text.endswith(". ") for s in body_segs[:-2]), "cut after a sentence end"


def test_an_unbroken_paragraph_is_cut_at_spaces_or_else_at_the_limit():
    words = "كلمة " * 1000
    assert all(s.text.endswith(" ") for s in segments_of(None, words, longest=300)[:-1])
    one_word = "ب" * 2500
    assert [len(s.text) for s in segments_of(None, one_word, longest=1000)] == [1000, 1000, 500]


def test_short_paragraphs_are_segments_as_before():
    assert [(s.start, s.text) for s in segments_of(None, "أ ب\n\nج د", longest=1000)] == [
        (0, "أ ب"),
        (5, "ج د"),
    ]


class Event:
    def __init__(self, partition: int, offset: int):
        self.partition, self.offset = partition, offset


def test_messages_finished_out_of_order_are_acknowledged_in_order():
    """faust commits past a hole at the head of the acknowledged offsets, so a long article
    finished after the batches behind it must hold their acknowledgements back."""
    acked: list[tuple[int, int]] = []

    async def ack(e: Event) -> None:
        acked.append((e.partition, e.offset))

    async def go() -> None:
        acks = InOrderAcks(ack, lambda e: e.partition)
        long, *after = [Event(0, i) for i in range(4)]
        other = Event(1, 0)
        acks.taken([long, *after, other])
        await acks.finished([*after, other])
        assert acked == [(1, 0)], "the other partition is not held; this one waits for its long article"
        assert acks.in_flight() == 4
        await acks.finished([long])
        assert acked == [(1, 0), (0, 0), (0, 1), (0, 2), (0, 3)]
        assert acks.in_flight() == 0

    asyncio.run(go())


def test_faust_commits_past_a_single_unfinished_offset_which_is_why_acks_go_in_order():
    """The faust behaviour InOrderAcks guards against: with 37 the committed position (the next
    to read) and 37 unfinished, acknowledging 38 and 39 commits 40; on a partition never
    committed, acknowledging 1 and 2 commits past an unfinished 0. Should a faust upgrade fix
    this, the test says so, and the in-order acknowledgement can be reconsidered."""
    import faust
    from faust.types import TP

    consumer = faust.App("acks-probe", broker="kafka://localhost:1").consumer
    tp, fresh = TP("t", 0), TP("t", 1)
    consumer._committed_offset[tp] = 37
    consumer._acked[tp] = [38, 39]
    assert consumer._new_offset(tp) == 40
    consumer._acked[fresh] = [1, 2]
    assert consumer._new_offset(fresh) == 3
