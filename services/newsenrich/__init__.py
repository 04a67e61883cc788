"""newsenrich: streaming enrichment of news articles with named entities and quotes."""

__version__ = "0.1.0"
SCHEMA_VERSION = 1
