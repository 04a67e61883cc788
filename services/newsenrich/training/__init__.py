"""`newsenrich models train`: the project's own stanza models, built from open data.

Kept apart from the service: nothing here is imported by a worker. Stages
(corpora -> word vectors -> NER -> evaluation -> package) each write their
output under a work folder and are skipped when it is already there, so an
interrupted training resumes where it stopped.
"""
