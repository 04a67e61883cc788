"""What a user can mend ends in one clear line and a non-zero exit, not a traceback."""

from __future__ import annotations

import os
import subprocess
import sys


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsenrich.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=os.environ | env,
    )


def test_a_missing_input_file():
    done = run("enrich", "no-such-file.jsonl")
    assert done.returncode == 2
    assert "cannot read no-such-file.jsonl" in done.stderr and "Traceback" not in done.stderr


def test_topics_with_no_broker_gives_up_within_its_wait_in_one_line():
    done = run("topics", "--wait", "2", KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:9")
    assert done.returncode == 4
    assert "Traceback" not in done.stderr
    lines = [x for x in done.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and "127.0.0.1:9" in lines[0] and "KAFKA_BOOTSTRAP_SERVERS" in lines[0]


def test_replay_with_no_broker():
    done = run("replay", "seeds", KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:9")
    assert done.returncode == 4
    assert "Traceback" not in done.stderr and "Unclosed" not in done.stderr
    assert "KAFKA_BOOTSTRAP_SERVERS" in done.stderr
