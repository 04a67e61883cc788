import subprocess
import sys

import pytest

from newsenrich.config import ConfigError, Settings
from newsenrich.sources import read_records, txt_article


def test_defaults_are_valid():
    s = Settings.from_env({})
    assert s.topic_raw == "articles.raw" and s.languages == {"ar", "en"}


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({"TOPIC_PARTITIONS": "zero"}, "TOPIC_PARTITIONS"),
        ({"BATCH_SIZE": "0"}, "BATCH_SIZE"),
        ({"LANGUAGES": "ar,xx"}, "LANGUAGES"),
        ({"LOG_LEVEL": "loud"}, "LOG_LEVEL"),
        ({"EVENT_LOOP": "trio"}, "EVENT_LOOP"),
    ],
)
def test_bad_settings_name_the_variable(env, name):
    with pytest.raises(ConfigError, match=name):
        Settings.from_env(env)


@pytest.mark.parametrize(
    ("name", "loop_class"), [("uvloop", "uvloop.Loop"), ("asyncio", "_UnixSelectorEventLoop")]
)
def test_event_loop_setting_decides_the_loop_of_every_thread(name, loop_class):
    """faust's consumer thread makes its own loop: it must come from the same policy."""
    code = (
        "import asyncio, threading\n"
        "from newsenrich.runtime.worker import use_event_loop\n"
        f"use_event_loop({name!r})\n"
        "kinds = [type(asyncio.new_event_loop())]\n"
        "t = threading.Thread(target=lambda: kinds.append(type(asyncio.new_event_loop())))\n"
        "t.start(); t.join()\n"
        "print(*(f'{k.__module__}.{k.__qualname__}' for k in kinds))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == [out.split()[0]] * 2 and out.split()[0].endswith(loop_class)


def test_txt_article_title_is_first_nonempty_line(tmp_path):
    p = tmp_path / "abc.txt"
    p.write_text("\n  Headline here \n\nBody line one.\nBody line two.\n", encoding="utf-8")
    assert txt_article(p) == {"id": "abc", "title": "Headline here", "body": "Body line one.\nBody line two."}


def test_jsonl_lines_keep_their_bytes_and_key(tmp_path):
    p = tmp_path / "dump.jsonl"
    p.write_bytes(b'{"id": "x1", "body": "t"}\nnot json\n')
    recs = list(read_records([p]))
    assert recs[0].key == b"x1" and recs[0].value == b'{"id": "x1", "body": "t"}'
    assert recs[1].key is None and recs[1].value == b"not json"


def test_dotenv_fills_in_but_the_environment_wins(tmp_path):
    from newsenrich.config import load_environment

    f = tmp_path / ".env"
    f.write_text("# local\nTOPIC_RAW=from-file\nexport LOG_LEVEL='debug'\n\n")
    env = load_environment({"TOPIC_RAW": "from-env"}, f)
    assert env["TOPIC_RAW"] == "from-env" and env["LOG_LEVEL"] == "debug"


def test_bad_dotenv_line_is_reported_with_its_place(tmp_path):
    from newsenrich.config import load_environment

    f = tmp_path / ".env"
    f.write_text("JUSTAWORD\n")
    with pytest.raises(ConfigError, match=r"\.env:1"):
        load_environment({}, f)


def test_sasl_needs_credentials_and_the_password_is_masked():
    with pytest.raises(ConfigError, match="KAFKA_SASL_USERNAME"):
        Settings.from_env({"KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT"})
    s = Settings.from_env(
        {
            "KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT",
            "KAFKA_SASL_USERNAME": "svc",
            "KAFKA_SASL_PASSWORD": "hunter2",
        }
    )
    assert "hunter2" not in str(s.describe())
    kwargs = s.kafka_client_kwargs()
    assert kwargs["sasl_mechanism"] == "PLAIN" and kwargs["sasl_plain_password"] == "hunter2"


def test_missing_tls_file_is_named():
    with pytest.raises(ConfigError, match="KAFKA_SSL_CAFILE"):
        Settings.from_env({"KAFKA_SECURITY_PROTOCOL": "SSL", "KAFKA_SSL_CAFILE": "/nonexistent/ca.pem"})
