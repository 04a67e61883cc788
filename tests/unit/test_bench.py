"""The benchmark's pure helpers: the corpus it replays and how it reads latencies."""

from newsenrich.devtools.bench import percentile, replicate


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
    from newsenrich.devtools.bench import pipeline_overhead

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


def _results(one: float, r1: float, r2: float) -> dict:
    return {
        "bare_stanza": {"one_core": {"articles_per_s": one}, "all_cores": {"articles_per_s": 2 * one}},
        "offline_enrich": {"articles_per_s": one},
        "end_to_end": {
            "entities_workers_1": {
                "max": {"articles_per_s": r1, "cpu_ms_per_article": {"0:entities": 30.0, "2:joiner": 1.0}},
                "half_rate": {"latency_s": {"p50": 0.5, "p99": 1.5}},
                "peak_rss_mb": {"0:entities": 500.0, "1:quotes": 60.0},
            },
            "entities_workers_2": {"max": {"articles_per_s": r2}},
        },
        "quotes_and_codec": {"quote_ms_per_article": 0.5, "codec_validation_ms_per_article": 0.5},
    }


def test_summarize_takes_the_median_of_ratios_within_each_run(tmp_path) -> None:
    import orjson

    from newsenrich.devtools.bench import key_measures, summarize

    paths = []
    for i, (one, r1, r2) in enumerate([(30, 27, 45), (40, 36, 64), (20, 19, 30)]):
        path = tmp_path / f"r{i}.json"
        path.write_bytes(orjson.dumps(_results(one, r1, r2)))
        paths.append(path)
    m = key_measures(_results(30, 27, 45))
    assert m["1 worker / bare 1 core (≥ 0.85)"] == 0.9
    assert m["peak RSS, entities worker (MB, < 1536)"] == 500.0
    table = summarize(paths)
    # ratios 45/27=1.67, 64/36=1.78, 30/19=1.58: the median is the middle run's own ratio
    assert "| 2 workers / 1 worker (≥ 1.6) | 1.67 | 1.58–1.78 |" in table
