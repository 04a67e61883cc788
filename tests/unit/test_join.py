from newsenrich.join import already_out, expired, join_step, mark_emitted

V1 = {"ner": "ar/ner/x@1", "rules": "r1"}


def half(fp, offset, models=None):
    return {"fingerprint": fp, "source": {"offset": offset}, "models": V1 if models is None else models}


def test_pairs_by_fingerprint_and_emits_once():
    s, out, what = join_step(None, "entities", half("a", 5), 1.0)
    assert out is None and what == "waiting"
    s, out, what = join_step(s, "quotes", half("a", 5), 2.0)
    assert what == "complete" and out is not None
    s = mark_emitted(s, "a", 3.0)
    assert s["emitted"]["models"] == V1
    s, out, what = join_step(s, "entities", half("a", 9), 4.0)
    assert out is None and what == "waiting"  # a lone echo waits: an upgraded partner may need it
    s, out, what = join_step(s, "quotes", half("a", 9), 4.0)
    assert out is None and what == "duplicate" and s["pending"] == {}


def test_a_new_enrichment_version_of_the_same_article_is_emitted_again():
    s, _, _ = join_step(None, "entities", half("a", 5), 1.0)
    s, _, _ = join_step(s, "quotes", half("a", 5), 1.0)
    s = mark_emitted(s, "a", 1.0)
    v2 = {"ner": "ar/ner/x@2", "rules": "r1"}
    # after an upgrade of the entities worker only: the unchanged quotes half comes first, as an echo
    s, out, what = join_step(s, "quotes", half("a", 5, {"rules": "r1"}), 2.0)
    assert what == "waiting"
    s, out, what = join_step(s, "entities", half("a", 5, v2), 2.0)
    assert what == "complete" and out is not None
    s = mark_emitted(s, "a", 2.0)
    assert s["emitted"]["models"] == v2
    # and that version, re-delivered, is a duplicate in its turn
    s, _, _ = join_step(s, "entities", half("a", 5, v2), 3.0)
    _, out, what = join_step(s, "quotes", half("a", 5, {"rules": "r1"}), 3.0)
    assert out is None and what == "duplicate"


def test_a_record_found_on_the_output_topic_makes_its_halves_duplicates():
    s, _, _ = join_step(None, "entities", half("a", 5), 1.0)  # the state the crash left
    s = already_out(s, "a", 5, V1, 2.0)
    s, out, what = join_step(s, "quotes", half("a", 5), 3.0)  # the re-delivered partner
    assert out is None and what == "duplicate"


def test_an_older_record_on_the_output_topic_does_not_undo_a_newer_state():
    s, _, _ = join_step(None, "entities", half("new", 7), 1.0)
    s, _, _ = join_step(s, "quotes", half("new", 7), 1.0)
    s = mark_emitted(s, "new", 1.0)
    assert already_out(s, "old", 3, V1, 2.0) == s


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


def test_the_rules_version_changes_with_any_rule_or_lexicon(tmp_path):
    import shutil
    from pathlib import Path

    from newsenrich.nlp import rules_version

    here = Path(rules_version.__file__).parent
    copy = tmp_path / "nlp"
    shutil.copytree(here, copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert rules_version.digest(copy) == rules_version.digest(here)
    lexicon = copy / "lexicons" / "ar.json"
    lexicon.write_bytes(lexicon.read_bytes().replace(b"{", b"{ ", 1))
    changed = rules_version.digest(copy)
    assert changed != rules_version.digest(here)
    rule = copy / "entities" / "clustering.py"  # rules live in subpackages too
    rule.write_text(rule.read_text() + "\n# a rule changed\n")
    assert rules_version.digest(copy) != changed
