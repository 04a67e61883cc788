"""The input step every raw-article stage shares: decode, dead-letter the bad, hand on the good."""

from __future__ import annotations

import logging
from collections.abc import Generator, Mapping
from dataclasses import dataclass

from newsenrich.events.codec import JSON, Position, Rejected, decode_raw_article
from newsenrich.nlp.steps import drain
from newsenrich.stages.base import RAW, Emit, Message, Output, dead

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RawArticle:
    """A decoded raw article and where it was read."""

    article: JSON
    position: Position
    message: Message


class RawStage:
    """A stage over `articles.raw`: subclasses say what a batch of good articles becomes.

    A bad message is a dead letter with its reason; an article whose handling
    fails is retried alone, so it never sinks its batch-mates, and becomes a
    `processing_error` dead letter if it fails alone too.
    """

    name = "raw"
    inputs = (RAW,)
    blocking = False
    stateful = False

    def __init__(
        self,
        *,
        languages: frozenset[str],
        max_body_chars: int,
        max_message_bytes: int,
        max_title_chars: int = 1_000,
    ):
        self.languages = languages
        self.max_body_chars = max_body_chars
        self.max_title_chars = max_title_chars
        self.max_message_bytes = max_message_bytes
        self.observed: list[tuple[str, float]] = []

    def handle(self, batch: list[RawArticle]) -> list[Emit]:
        raise NotImplementedError

    def handle_in_steps(self, batch: list[RawArticle]) -> Generator[None, None, list[Emit]]:
        """`handle`, with pauses where a runner may let other work through (`process_in_steps`).

        A stage whose handling can take long overrides this (and `handle` drains it); the
        others handle a batch in one step.
        """
        return self.handle(batch)
        yield  # unreachable: makes this a generator

    def decode(self, message: Message) -> RawArticle:
        article = decode_raw_article(
            message.value,
            max_body_chars=self.max_body_chars,
            languages=self.languages,
            max_title_chars=self.max_title_chars,
        )
        return RawArticle(article, message.position, message)

    def process(self, batch: list[Message], state: Mapping[str, bytes] | None = None) -> Output:
        return drain(self.process_in_steps(batch, state))

    def process_in_steps(
        self, batch: list[Message], state: Mapping[str, bytes] | None = None
    ) -> Generator[None, None, Output]:
        """`process`, pausing where the stage's handling pauses: a blocking runner advances it
        one step at a time on its worker thread, and other batches' steps go in between."""
        out = Output()
        good: list[RawArticle] = []
        for message in batch:
            try:
                good.append(self.decode(message))
            except Rejected as rejected:
                log.warning(
                    "%s: dead-lettered %s/%d@%d: %s",
                    self.name,
                    message.topic,
                    message.partition,
                    message.offset,
                    rejected,
                    extra={"stage": self.name, "reason": rejected.reason, "article_id": rejected.article_id},
                )
                out.emits.append(dead(self.name, rejected, message, self.max_message_bytes))
        if not good:
            return out
        try:
            out.emits.extend((yield from self.handle_in_steps(good)))
        except Exception:
            log.exception("%s: batch of %d failed; retrying one article at a time", self.name, len(good))
            for raw in good:
                try:
                    out.emits.extend((yield from self.handle_in_steps([raw])))
                except Exception as exc:
                    failure = Rejected(
                        "processing_error", f"{type(exc).__name__}: {exc}", raw.article.get("id")
                    )
                    out.emits.append(dead(self.name, failure, raw.message, self.max_message_bytes))
        return out
