"""`newsenrich up` restarts a worker that died, says which, and stops only when it keeps dying."""

from __future__ import annotations

import os

from newsenrich.devtools.up import RESTARTS, restart_dead, start_worker


def test_a_dead_worker_is_restarted_and_named_then_up_gives_up(capfd):
    env = dict(os.environ) | {"METRICS_PORT": "0"}
    procs = [start_worker(env, "no-such-worker", 0)]  # exits at once: not a worker name
    restarts: dict[int, int] = {}
    for n in range(RESTARTS):
        procs[0].wait(timeout=60)
        assert restart_dead(procs, env, restarts) is None
        assert (
            f"worker no-such-worker exited with code 2; restarting it ({n + 1}/{RESTARTS})"
            in capfd.readouterr().err
        )
    procs[0].wait(timeout=60)
    why = restart_dead(procs, env, restarts)
    assert why is not None and "no-such-worker" in why and "stopping" in why
