"""Stages: what each worker does to a batch of messages, with no transport in sight.

A stage takes messages (bytes and where they were read) and returns what to
emit (results and dead letters, as bytes for named topics) and, for the
joiner, the state to write once those emits are delivered. The Kafka runtime
(`newsenrich.runtime`) and the in-memory runner (`newsenrich.memory`) drive
the same stages, so `newsenrich enrich` and the unit tests exercise exactly
what the workers run. Nothing here imports faust or aiokafka.
"""
