"""Tools for people working on newsenrich, outside the service's runtime path.

`broker` starts the embedded Kafka-protocol broker (Tansu) for `up` and the
tests, `up` runs the whole pipeline on one machine, `bench` measures it. No
worker imports these.
"""
