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


def test_pipeline_overhead_is_joiner_plus_codec_over_service_cpu() -> None:
    from newsenrich.bench import pipeline_overhead

    results = {
        "end_to_end": {
            "entities_workers_1": {
                "max": {
                    "cpu_ms_per_article": {
                        "0:entities": 30.0,
                        "1:quotes": 1.0,
                        "2:joiner": 1.5,
                        "broker": 1.2,  # not the service's
                    }
                }
            }
        },
        "quotes_and_codec": {"codec_validation_ms_per_article": 0.3},
    }
    got = pipeline_overhead(results)
    assert abs(got["ms"] - 1.8) < 1e-9
    assert abs(got["share"] - 1.8 / 32.5) < 1e-9
