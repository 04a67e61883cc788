"""The benchmark's pure helpers: the corpus it replays and how it reads latencies."""

from newsenrich.bench import percentile, replicate


def test_replicate_gives_every_pass_new_ids() -> None:
    corpus = [{"id": "a", "body": "x"}, {"id": "b", "body": "y"}]
    out = replicate(corpus, 3)
    assert len(out) == 6
    assert len({a["id"] for a in out}) == 6
    assert [a["body"] for a in out] == ["x", "y"] * 3
    assert replicate(corpus, 1) == corpus


def test_percentile_picks_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) in (50.0, 51.0)
    assert percentile(values, 99) == 99.0
    assert percentile(values, 100) == 100.0
    assert percentile([], 50) != percentile([], 50)  # NaN
