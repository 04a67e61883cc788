"""Kafka wiring: one module per worker, each reading like consume -> call -> produce."""
