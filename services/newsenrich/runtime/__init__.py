"""The Kafka runtime: the only part of newsenrich that imports faust or aiokafka.

`app` builds the faust app of a worker (its topics, consumer tuning, probes),
`loop` runs any stage over its input stream (batches, delivery, state after
delivery, acks, dead-letter limit, metrics), `delivery` produces with
retries that stop on shutdown, `admin` creates topics, `worker` starts one
worker process. The stages themselves (`newsenrich.stages`) know nothing of it.
"""
