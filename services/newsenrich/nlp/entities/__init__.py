"""Named entities: stanza NER mentions turned into one entity per real-world referent.

A raw NER model labels spans one sentence at a time, so the same person comes out as
`مارك روته` in one place, `روته` in another and is missed in a third. Downstream users
want "who is in this article": one entity with all its mentions. The steps are
document-level and model-agnostic, and `steps.py` lists them in order per language:

1. mentions from the model, a real proclitic moved out (`mentions.py`), and mentions that
   are not names, or not only names, cut back (`cleaning.py`);
2. Arabic names the small model tags in pieces found whole (`arabic_spans.py`);
3. clustering by name runs and acronyms (`clustering.py`), then propagation: other
   occurrences of an entity's names become mentions too (`occurrences.py`);
4. places the gazetteer knows (`places.py`), outlets and agencies (`outlets.py`), and the
   final labels (`labels.py`).
"""

from newsenrich.nlp.entities.arabic_spans import (
    arabic_facility_mentions,
    arabic_natural_places,
    arabic_org_mentions,
    arabic_places_of_kind,
)
from newsenrich.nlp.entities.cleaning import headline_case
from newsenrich.nlp.entities.clustering import Cluster, cluster
from newsenrich.nlp.entities.mentions import (
    LABELS,
    Mention,
    Segment,
    article_vocabulary,
    mentions_from_stanza,
    segments_of,
    widen_to_guillemets,
)
from newsenrich.nlp.entities.occurrences import add_entity, widen_entity
from newsenrich.nlp.entities.steps import build_entities

__all__ = [
    "LABELS",
    "Cluster",
    "Mention",
    "Segment",
    "add_entity",
    "arabic_facility_mentions",
    "arabic_natural_places",
    "arabic_org_mentions",
    "arabic_places_of_kind",
    "article_vocabulary",
    "build_entities",
    "cluster",
    "headline_case",
    "mentions_from_stanza",
    "segments_of",
    "widen_entity",
    "widen_to_guillemets",
]
