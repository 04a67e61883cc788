"""Speaker attribution: quote evidence + the article's entities -> who said it.

Runs where both halves meet (the joiner, and `newsenrich enrich`). It costs
well under a millisecond and needs no model: the NER has already found the
people and organisations, the quote rules have found where and how the
speaker is named.

* A name (`np: name`): the entity mentioned where the speaker is named (a
  person before an organisation before a place), else the name guess,
  linked to an entity when the names agree.
* A group (`police said`, `وتابعت الوزارة`, `an OPEC delegate`): the
  organisation named there, else the organisation of the article whose
  name carries that noun (`Northumbria Police`, `وزارة الصحة`), else the
  latest organisation mentioned.
* A role with no name (`the professor said`): the person the article gave
  that role (`UNLV biology professor Maria Delgado`).
* A statement (`the statement said`, `وأضاف البيان`): its author, the
  organisation the discourse is about.
* Elided or pronoun speakers (`وقال: …`, `وأضافت: …`, `he added`): the one
  the discourse is about: the latest speaker or subject before the quote,
  skipping any whose grammatical gender disagrees with the cue, and never a
  name that stood inside a quote. English pronouns with nobody to refer to
  stay as written (`he`).
* A continuation (`"…," she said. "…"`, a paragraph that is only a quote,
  later paragraphs of a long quote): the speaker of the quote before it.

`attribute.py` decides each quote's speaker in order; `explicit.py` resolves a speaker
named next to the cue, `discourse.py` one the discourse carries (elided, pronoun,
honorific, group noun), `names.py` says whether a phrase reads as a name, `lookup.py`
finds entities where evidence points, and `promotion.py` makes entities of the speakers
the tagger missed. `steps.py` lists the passes the join runs.
"""

from newsenrich.nlp.speakers.attribute import attribute
from newsenrich.nlp.speakers.names import speaker_name
from newsenrich.nlp.speakers.promotion import promote_speakers, speakers_are_people, widen_speakers
from newsenrich.nlp.speakers.steps import STEPS, resolve_speakers

__all__ = [
    "STEPS",
    "attribute",
    "promote_speakers",
    "resolve_speakers",
    "speaker_name",
    "speakers_are_people",
    "widen_speakers",
]
