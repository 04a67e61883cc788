import base64

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsenrich.events.codec import Position, Rejected, dead_letter, decode_raw_article, fingerprint
from newsenrich.events.schemas import first_error
from newsenrich.nlp.text import INVISIBLE

LANGS = frozenset({"ar", "en"})


def decode(value: bytes, max_body: int = 1000):
    return decode_raw_article(value, max_body_chars=max_body, languages=LANGS)


def reason(value: bytes, max_body: int = 1000) -> str:
    with pytest.raises(Rejected) as info:
        decode(value, max_body)
    return info.value.reason


def test_valid_article_gets_its_language_detected():
    a = decode(orjson.dumps({"id": "a1", "title": "عنوان", "body": "نص الخبر هنا"}))
    assert a["language"] == "ar"


def test_given_language_is_kept():
    a = decode(orjson.dumps({"id": "a1", "body": "Some text", "language": "en"}))
    assert a["language"] == "en"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (b"\xff\xfe not utf-8", "not_utf8"),
        (b"{not json", "not_json"),
        (b"", "not_json"),
        (orjson.dumps([1, 2]), "schema_violation"),
        (orjson.dumps({"id": "x"}), "schema_violation"),
        (orjson.dumps({"id": "x", "body": 5}), "schema_violation"),
        (orjson.dumps({"id": "x", "body": "t", "published_at": "yesterday"}), "schema_violation"),
        (orjson.dumps({"id": "x", "body": "t", "unknown_field": 1}), "schema_violation"),
        (orjson.dumps({"id": "x", "body": "  \n "}), "empty_body"),
        (orjson.dumps({"id": "x", "body": "a" * 1001}), "body_too_large"),
        (orjson.dumps({"id": "x", "body": "Le texte", "language": "fr"}), "unsupported_language"),
        (orjson.dumps({"id": "x", "body": "12345 !!!"}), "unsupported_language"),
    ],
)
def test_bad_input_is_rejected_with_its_reason(value, expected):
    assert reason(value) == expected


def test_rejection_keeps_the_article_id_when_readable():
    with pytest.raises(Rejected) as info:
        decode(orjson.dumps({"id": "x9", "body": ""}))
    assert info.value.article_id == "x9"


def test_fingerprint_ignores_key_order_but_not_content():
    a = {"id": "1", "body": "x", "language": "en"}
    b = {"language": "en", "body": "x", "id": "1"}
    assert fingerprint(a) == fingerprint(b)
    assert fingerprint(a) != fingerprint(a | {"body": "y"})


def test_dead_letter_keeps_original_bytes_and_validates():
    value = b"\xff\xfe broken"
    letter = dead_letter(
        stage="entities",
        rejected=Rejected("not_utf8", "bad bytes"),
        position=Position("articles.raw", 2, 41, 1700000000000),
        key=b"k",
        value=value,
    )
    assert base64.b64decode(letter["original_b64"]) == value
    assert first_error("dead_letter", letter) is None


def test_a_title_over_the_limit_is_dead_lettered_with_its_reason():
    value = orjson.dumps({"id": "t1", "title": "عنوان " * 400, "body": "نص قصير."})
    with pytest.raises(Rejected) as exc:
        decode_raw_article(value, max_body_chars=1000, languages=LANGS, max_title_chars=1000)
    assert exc.value.reason == "title_too_large" and exc.value.article_id == "t1"
    ok = orjson.dumps({"id": "t2", "title": "عنوان", "body": "نص قصير."})
    assert decode_raw_article(ok, max_body_chars=1000, languages=LANGS, max_title_chars=1000)["id"] == "t2"


def test_a_message_rejected_before_it_is_parsed_keeps_its_article_id():
    huge = b'{"id": "big-1", "title": "t", "body": "' + b"x" * 1_200_000 + b'"}'
    with pytest.raises(Rejected) as exc:
        decode(huge, max_body=10)
    assert exc.value.reason == "body_too_large" and exc.value.article_id == "big-1"
    lone_surrogate = b'{"id": "s-1", "body": "text \\ud800 more"}'
    with pytest.raises(Rejected) as exc:
        decode(lone_surrogate)
    assert exc.value.reason == "not_json" and exc.value.article_id == "s-1"
    with pytest.raises(Rejected) as exc:
        decode(b"<html>no id here</html>")
    assert exc.value.article_id is None


def test_a_body_of_invisible_characters_only_is_empty():
    for body in ("\u200b\u200f\u200e ", "\x00\ufeff\u2067"):
        with pytest.raises(Rejected) as exc:
            decode(orjson.dumps({"id": "z", "body": body}))
        assert exc.value.reason == "empty_body"


@given(
    st.text(
        alphabet=st.sampled_from([*INVISIBLE, " ", "\n", "\t", "\u3000", "\x85", "\u2028", "ا", "a", "."])
    )
)
def test_a_body_is_empty_exactly_when_only_spaces_and_invisible_characters_remain(body):
    empty = not body.translate(dict.fromkeys(map(ord, INVISIBLE))).strip()
    try:
        decode(orjson.dumps({"id": "z", "body": body, "language": "ar"}))
        rejected = None
    except Rejected as exc:
        rejected = exc.reason
    assert (rejected == "empty_body") == empty
