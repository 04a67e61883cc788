"""Event shapes: the JSON Schemas in `schemas/` and the codecs that enforce them at the edges."""
