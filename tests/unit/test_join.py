from newsenrich.join import expired, join_step, mark_emitted


def half(fp, offset):
    return {"fingerprint": fp, "source": {"offset": offset}}


def test_pairs_by_fingerprint_and_emits_once():
    s, out, what = join_step(None, "entities", half("a", 5), 1.0)
    assert out is None and what == "waiting"
    s, out, what = join_step(s, "quotes", half("a", 5), 2.0)
    assert what == "complete" and out is not None
    s = mark_emitted(s, "a", 3.0)
    s2, out, what = join_step(s, "entities", half("a", 9), 4.0)
    assert out is None and what == "duplicate" and s2 == s


def test_halves_of_different_versions_do_not_pair():
    s, _, _ = join_step(None, "entities", half("old", 1), 1.0)
    s, out, what = join_step(s, "quotes", half("new", 2), 1.0)
    assert out is None and what == "waiting"
    s, out, what = join_step(s, "entities", half("new", 2), 1.0)
    assert what == "complete"


def test_older_version_after_newer_was_emitted_is_stale():
    s, _, _ = join_step(None, "entities", half("new", 7), 1.0)
    s, _, _ = join_step(s, "quotes", half("new", 7), 1.0)
    s = mark_emitted(s, "new", 1.0)
    _, out, what = join_step(s, "entities", half("old", 3), 2.0)
    assert out is None and what == "stale"


def test_newer_version_replaces_and_clears_older_pending():
    s, _, _ = join_step(None, "entities", half("v1", 1), 1.0)
    s, _, _ = join_step(s, "entities", half("v2", 2), 1.0)
    s, out, _ = join_step(s, "quotes", half("v2", 2), 1.0)
    assert out is not None
    s = mark_emitted(s, "v2", 1.0)
    assert s["pending"] == {}
    assert s["emitted"]["fingerprint"] == "v2"


def test_state_expires_after_ttl():
    s, _, _ = join_step(None, "entities", half("a", 1), 100.0)
    assert not expired(s, 150.0, 100)
    assert expired(s, 250.0, 100)
