"""Pure NLP: no Kafka here. Workers and the offline `enrich` command both call into this package."""
