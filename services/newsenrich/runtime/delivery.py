"""Producing a batch's records and waiting until the broker has every one.

A broker outage stalls here (nothing is acknowledged meanwhile) and retries
with backoff (tenacity) until the broker is back or the worker is told to
stop; re-sent copies are idempotent by key. A record the broker refuses for
good (too large, an invalid or forbidden topic) is not retried for ever: its
input is dead-lettered with the reason, and the rest of the batch goes on.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import orjson
from aiokafka import errors as kafka_errors
from faust.exceptions import ProducerSendError
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception_type, wait_exponential

from newsenrich.events.codec import Rejected
from newsenrich.stages.base import Emit, dead

log = logging.getLogger(__name__)

# Errors no retry can mend: the record itself, or the topic, is refused.
_TOO_LARGE = (
    kafka_errors.MessageSizeTooLargeError,
    kafka_errors.RecordTooLargeError,
    kafka_errors.RecordListTooLargeError,
)
_REFUSED = (
    kafka_errors.InvalidTopicError,
    kafka_errors.TopicAuthorizationFailedError,
    kafka_errors.PolicyViolationError,
    kafka_errors.CorruptRecordException,
    kafka_errors.UnsupportedForMessageFormatError,
)


# The smallest dead letter: its reason and coordinates, and the first few KB of the input.
SMALLEST_LETTER = 16 * 1024


class Stopping(Exception):
    """The worker is shutting down while a delivery was still being retried."""


class _Retry(Exception):
    """Some records hit an error worth retrying."""


def _cause(exc: BaseException) -> BaseException:
    # faust wraps an error raised at send time (no metadata in an outage, say) in ProducerSendError
    return exc.__cause__ if isinstance(exc, ProducerSendError) and exc.__cause__ else exc


def refusal(exc: BaseException) -> str | None:
    """The dead-letter reason for an error retrying cannot mend, or None if it is worth retrying."""
    exc = _cause(exc)
    if isinstance(exc, _TOO_LARGE):
        return "output_too_large"
    if isinstance(exc, _REFUSED):
        return "produce_rejected"
    return None


async def deliver(
    producer: Any,
    names: dict[str, str],
    emits: list[Emit],
    *,
    stage: str,
    max_bytes: int,
    stopping: asyncio.Event,
    backoff_max_s: float = 10.0,
) -> list[Emit]:
    """Produce `emits` (topic roles mapped by `names`) and await every acknowledgement.

    Returns what was delivered: the emits, with any the broker refused for good
    replaced by dead letters of their inputs. Raises Stopping if `stopping` is
    set while retrying.
    """
    delivered: list[Emit] = []
    pending = list(emits)

    async def attempt() -> None:
        nonlocal pending
        futures = []
        for e in pending:
            try:
                futures.append(await producer.send(names[e.topic], e.key, e.value, None, None, None))
            except Exception as exc:  # raised at send time: no metadata, buffer full, too large
                fut: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
                fut.set_exception(exc)
                futures.append(fut)
        results = await asyncio.gather(*futures, return_exceptions=True)
        retry: list[Emit] = []
        for e, result in zip(pending, results, strict=True):
            if not isinstance(result, BaseException):
                delivered.append(e)
                continue
            reason = refusal(result)
            if e.reason and reason == "output_too_large" and e.source and len(e.value) > SMALLEST_LETTER:
                # A dead letter is cut to fit MAX_MESSAGE_BYTES, so the broker's own limit is
                # lower (set below ours by mistake): cut it to the least that says what failed.
                log.error("%s: the broker refused a dead letter as too large; sending it cut short", stage)
                was = Rejected(e.reason, e.detail, orjson.loads(e.value).get("article_id"))
                retry.append(dead(stage, was, e.source, SMALLEST_LETTER))
                continue
            if reason is None or e.source is None or e.reason:
                retry.append(e)  # a dead letter itself is cut to fit before it is sent: retry it
                continue
            log.error(
                "%s: the broker refused a %s record for good (%s); dead-lettering its input",
                stage,
                e.topic,
                result,
            )
            rejected = Rejected(
                reason, f"{type(_cause(result)).__name__}: {_cause(result)}", e.key.decode(errors="replace")
            )
            retry.append(dead(stage, rejected, e.source, max_bytes))
        pending = retry
        if pending:
            raise _Retry(f"{len(pending)} records to send again")

    def stop(state: RetryCallState) -> bool:
        return stopping.is_set()

    def before_sleep(state: RetryCallState) -> None:
        log.warning(
            "%s: produce failed (%s); retrying %d records", stage, state.outcome.exception(), len(pending)
        )

    try:
        async for attempt_ctx in AsyncRetrying(
            retry=retry_if_exception_type(_Retry),
            wait=wait_exponential(multiplier=0.5, max=backoff_max_s),
            stop=stop,
            before_sleep=before_sleep,
            reraise=True,
        ):
            with attempt_ctx:
                # the first attempt always runs: a batch finished as the stop began is still handed on
                if stopping.is_set() and attempt_ctx.retry_state.attempt_number > 1:
                    raise Stopping(f"{stage}: stopping with {len(pending)} records undelivered")
                await attempt()
    except _Retry:
        raise Stopping(f"{stage}: stopping with {len(pending)} records undelivered") from None
    return delivered
