"""Quotes: direct, mixed and indirect reported speech, with the cue and evidence of the speaker.

Works on the article text alone (no model), so the quotes worker needs no
stanza pipeline and costs about a millisecond per article. What it cannot
know without NER, *which entity* is speaking, it leaves as evidence: where
the speaker is named (`region`), a name guess, what kind of phrase names
them (`np`: a name, a pronoun, a group such as `police` or `الوزارة`, a role
such as `the professor`), the grammatical gender of the cue, and whether the
speaker is elided or carried over from the quote before. `speakers/`
turns that evidence into a speaker once the entities are known.

A quoted span (paired by `quote_marks`) is speech when, in its sentence:

* an attribution follows it: `"…," X said`, `"…," said X`, `"…?" he asked`,
  `«…»، قال X`;
* a cue introduces it: `X said: "…"`, `X said, "…"`, `وقال X: «…»`,
  `وقال X «…»`, `قائلاً «…»`, `جاء في البيان: «…»`, or a short headline
  name and a colon (`ترامب: «…»`);
* it is a fragment inside reported speech (`X said that … "…"`,
  `described it as "…"`): a *mixed* quote;
* it is a whole sentence with no attribution of its own: it continues the
  quote before it (`"…," she said. "…"`, a paragraph that is only a quote,
  later paragraphs of a long quote) and takes its speaker.

Anything else in quote marks is a name, a title or a scare quote. Speech
after a cue and a colon with no marks (`وأضاف: نحن …`, `He added: We …`) is
a direct quote running to the end of its paragraph. Reported speech without
marks (`قال X إن …`, `X said (that) …`, `…, the minister said.`,
`مشيرًا إلى أن …`, `according to X`) is indirect.

A quote whose speaker is an anonymous person (`a source said`, `قال مصدر`)
with no organisation named is dropped: nobody in the article said it.

The finders run in the order `steps.py` declares; `document.py` holds the body's
structure, `phrases_ar.py` and `phrases_en.py` the grammar of speaker phrases, `cues.py`
the speaker of a cue, `attributions.py` what makes a quoted span speech, `marked.py` the
quotes in marks and their continuations, `indirect.py` reported speech without marks.
"""

from newsenrich.nlp.quotes.steps import STEPS, extract_quotes

__all__ = ["STEPS", "extract_quotes"]
