"""The speaker of a cue verb: the phrase after it (`said X`, `قال X`) or before it (`X said`),
the subject of its clause, the gender of an Arabic verb, and the evidence made of them.
"""

from __future__ import annotations

from dataclasses import replace

from newsenrich.nlp.lexicon import Cue
from newsenrich.nlp.quotes.document import (
    ABBREVIATIONS,
    CLAUSE_PUNCT,
    SENTENCE_END,
    QuoteDoc,
    Token,
    comma_groups,
    is_adverb,
)
from newsenrich.nlp.quotes.phrases_ar import group_name, is_common_noun, speaker_phrase_ar
from newsenrich.nlp.quotes.phrases_en import name_group, speaker_phrase_en
from newsenrich.nlp.text import NAME_HEADS, normalize
from newsenrich.nlp.values import SpeakerEvidence, SpeakerPhrase

CLAUSE_BREAKERS_EN = frozenset(
    [
        "and",
        "but",
        "or",
        "because",
        "while",
        "when",
        "if",
        "although",
        "though",
        "so",
        "then",
        "as",
        "after",
        "before",
        "since",
        "until",
        "which",
        "who",
        "that",
        "where",
        "what",
        "how",
        "why",
    ]
)


_RELATIVES = frozenset({"الذي", "التي", "الذين", "اللذين", "اللتين", "who", "which"})


AUXILIARIES = frozenset(
    [
        "has",
        "have",
        "had",
        "is",
        "was",
        "were",
        "are",
        "be",
        "been",
        "also",
        "would",
        "will",
        "did",
        "does",
        "do",
    ]
)


def speaker_phrase(doc: QuoteDoc, tokens: list[Token]) -> SpeakerPhrase:
    return speaker_phrase_en(doc, tokens) if doc.en else speaker_phrase_ar(doc, tokens)


def breaks_phrase(prev: Token, gap: str) -> bool:
    """A sentence ends in `gap` after `prev` (not the dot of `Cpl.` or `Mr.`)."""
    if not any(ch in SENTENCE_END for ch in gap):
        return False
    return not (gap.startswith(".") and prev.text.lower() in ABBREVIATIONS)


def after_cue(doc: QuoteDoc, cue_tok: Token, limit: int) -> list[Token]:
    """Tokens naming the speaker after a cue, up to a colon, a sentence end or the limit.

    English stops at the first stop word (`said Smith on Tuesday`); Arabic keeps
    the whole clause, whose comma groups and final name the name finder reads
    (`قال المحلل في مؤسسة «X» مازن حداد`).
    """
    out: list[Token] = []
    prev_end = cue_tok.end
    for t in doc.tokens_in(cue_tok.end, limit):
        gap = doc.gap(prev_end, t.start)
        if ":" in gap or (breaks_phrase(out[-1], gap) if out else any(ch in SENTENCE_END for ch in gap)):
            break
        if doc.lex.is_complementizer(t.text):
            break
        if out and not doc.en and doc.lex.pronoun(t.text):
            break  # `يقول الحبيب وهو يفرغ …`: the circumstantial clause is about the speaker
        stop = doc.en and doc.is_stop(t) and t.text.lower() not in {"the", "a", "an"}
        if stop and (out or not doc.lex.is_in(t.text, doc.lex.manner_words)):
            break
        out.append(t)
        prev_end = t.end
    return out


def _before_cue(doc: QuoteDoc, start: int, cue_tok: Token) -> list[Token]:
    """The subject before an English cue, an apposition or relative clause before the cue skipped.

    `David Ross, chief economist at Acme Bank, said` -> David Ross;
    `Al-Shamsi, who has followed OPEC for two decades, added` -> Al-Shamsi.
    """
    toks = doc.tokens_in(start, cue_tok.start)
    while toks and (toks[-1].text.lower() in AUXILIARIES or is_adverb(doc.lex, toks[-1])):
        toks = toks[:-1]  # `has insisted`, `had earlier said`
    if toks and toks[-1].text.lower() in {"and", "but"}:
        return []  # `X conceded …, but said …`: the subject of the clause before
    toks = [t for t in toks if not is_adverb(doc.lex, t)]
    if not toks:
        return []
    groups = comma_groups(doc, toks)
    subject = groups[-1]
    comma_before_cue = any(ch in CLAUSE_PUNCT for ch in doc.gap(toks[-1].end, cue_tok.start))
    if len(groups) >= 2 and comma_before_cue and not name_group(doc, subject):
        subject = groups[-2]  # `David Ross, chief economist at Acme Bank, said`
    # Within the subject's group, cut at a clause boundary (`;`, `:`, a quote mark, a clause word).
    cut = 0
    for k in range(len(subject)):
        gap = doc.gap(subject[k - 1].end if k else start, subject[k].start)
        if any(ch in gap for ch in ';:"“”«»'):
            cut = k
        if subject[k].text.lower() in CLAUSE_BREAKERS_EN and k < len(subject) - 1:
            cut = k + 1
    return subject[cut:]


def speaker_of_cue(doc: QuoteDoc, sent_start: int, cue_tok: Token, cue: Cue, limit: int) -> SpeakerEvidence:
    """Evidence of who speaks through the cue at `cue_tok`, looking no further than `limit`."""
    lex = doc.lex
    if cue.kind in ("participle", "masdar"):
        gov_tokens = doc.tokens_in(sent_start, cue_tok.start)
        # `نقلت الوكالة عن الوزير قوله:`: the one quoted is after عن.
        an = next(
            (k for k in range(len(gov_tokens) - 1, -1, -1) if normalize(gov_tokens[k].text) == "عن"), None
        )
        quoting = an is not None and any(
            doc.lex.is_in(t.text, doc.lex.quoting_verbs) for t in gov_tokens[:an]
        )
        if cue.kind == "masdar" and quoting and an is not None and not doc.en:
            np = speaker_phrase_ar(doc, gov_tokens[an + 1 :])
            if np.np is not None:
                return evidence_from_phrase(np, cue.gender)
        # The governing verb: the nearest one that names its subject (`وأشار كمال …، ودعا
        # المواطنين … قائلاً:` is كمال speaking: دعا's noun is its object).
        first_ev = None
        limit = cue_tok.start
        for k in range(len(gov_tokens) - 1, -1, -1):
            c = doc.cue(gov_tokens[k])
            if c is None or c.kind != "verb":
                continue
            ev = speaker_of_cue(doc, sent_start, gov_tokens[k], c, limit)
            limit = gov_tokens[k].start
            if ev.kind == "explicit":
                ev = replace(ev, kind="participle")
            first_ev = first_ev or ev
            if ev.np not in (None, "role"):
                return ev
        if first_ev is not None:
            return first_ev
        if not doc.en and len(gov_tokens) >= 2 and normalize(gov_tokens[0].text)[:1] in ("و", "ف"):
            # `وعبّر X عن … بالقول:`, `ورحّب X … بقوله:`: the subject of the verb opening the sentence.
            np = speaker_phrase_ar(doc, after_cue(doc, gov_tokens[0], cue_tok.start))
            if np.np is not None:
                ev = evidence_from_phrase(np, cue.gender)
                return replace(ev, kind="participle") if ev.kind == "explicit" else ev
        return SpeakerEvidence("elided", cue.gender, pre_region=_pre(gov_tokens))
    if cue.kind == "statement":
        # `وجاء في بيان صادر عن أرامكو:` -> أرامكو; `ومما جاء فيه:` -> the statement's author.
        after = doc.tokens_in(cue_tok.end, limit)
        src = next((k for k, t in enumerate(after) if normalize(t.text) in {"عن", "من"}), None)
        if src is not None and src + 1 < len(after):
            toks = after_cue(doc, after[src], limit)
            toks = comma_groups(doc, toks)[0] if toks else toks
            if toks:
                return SpeakerEvidence(
                    "explicit", None, (toks[0].start, toks[-1].end), doc.text_of(toks), np="group"
                )
        return SpeakerEvidence("elided", None, np="statement")
    before_all = doc.tokens_in(sent_start, cue_tok.start)
    if before_all and normalize(before_all[-1].text) in _RELATIVES:
        # `…، أنس الحموي، الذي وصف …`, `Paul Martin, who said …`: the antecedent speaks.
        groups = comma_groups(doc, before_all[:-1])
        if groups:
            np = speaker_phrase(doc, groups[-1]) if doc.en else speaker_phrase_ar(doc, groups[-1])
            if np.np not in (None, "anonymous"):
                return evidence_from_phrase(np, cue.gender)
    if doc.en:
        subject = _before_cue(doc, sent_start, cue_tok)
        if subject:
            np = speaker_phrase_en(doc, subject)
            if np.np is not None:
                return evidence_from_phrase(np, cue.gender)
        after = after_cue(doc, cue_tok, limit)
        np = speaker_phrase_en(doc, after)
        if np.np is not None and not (normalize(cue_tok.text) in lex.object_cues and np.np == "pronoun"):
            return evidence_from_phrase(np, cue.gender)
        return SpeakerEvidence("elided", cue.gender)
    after = after_cue(doc, cue_tok, limit)
    if after and normalize(after[0].text) in lex.complementizer_preps:
        after = []
    while (
        after
        and normalize(after[-1].text) in lex.complementizer_preps
        and not (len(after) > 1 and normalize(after[-2].text) in NAME_HEADS)  # `أبو علي`, not على
    ):
        after = after[:-1]  # `وأشار X إلى أن`
    before = doc.tokens_in(sent_start, cue_tok.start)
    pre = (before[0].start, before[-1].end) if before else None
    np = speaker_phrase_ar(doc, after)
    if np.np is None and before:
        # `نفى X وجود …، وقال:`: the subject of the report earlier in the sentence.
        first = before[0]
        prev_cue = next(
            (
                (k, c)
                for k in range(len(before) - 1, -1, -1)
                if (c := doc.cue(before[k])) and c.kind == "verb"
            ),
            None,
        )
        del first
        starter = before[prev_cue[0]] if prev_cue else None
        if starter is not None:
            sub = speaker_phrase_ar(doc, after_cue(doc, starter, cue_tok.start))
            if sub.np == "name":
                return replace(evidence_from_phrase(sub, cue.gender), kind="participle", pre_region=pre)
    if np.np is None:
        topic = _clause_subject(doc, before, cue)
        if topic:
            region = (topic[0].start, topic[-1].end)
            return SpeakerEvidence(
                "participle", cue.gender, region, doc.text_of(topic), np="name", pre_region=pre
            )
        return SpeakerEvidence("elided", cue.gender, pre_region=pre)
    ev = evidence_from_phrase(np, cue.gender)
    return replace(ev, pre_region=pre) if pre else ev


def _verb_gender(token: str) -> str | None:
    """The gender a verb's person prefix marks (تقف, تقلّب: she; يقف: he), if it looks like one."""
    n = normalize(token).lstrip("وف") if len(token) > 3 else normalize(token)
    if n.startswith("ال") or len(n) < 3:
        return None
    return {"ت": "f", "ي": "m"}.get(n[:1])


def _clause_subject(doc: QuoteDoc, before: list[Token], cue: Cue) -> list[Token] | None:
    """The subject named earlier in the cue's sentence, for `…، وتقول:` with no name after it.

    Two shapes of Arabic news: a topic (`أما سناء، وهي …، فقالت:`) and a clause that
    opens with a verb agreeing with the cue, its subject right after it (`في السوق، تقف
    أم محمد خلف فرشتها …، وتقول:`). The subject is a kunya or one indefinite word
    that is no common noun the lexicon knows; a definite word (`تمسح العرق`) is an object.
    """
    lex = doc.lex
    groups = comma_groups(doc, before)
    if len(groups) >= 2 and normalize(groups[0][0].text) == "اما" and 2 <= len(groups[0]) <= 4:
        name = group_name(doc, groups[0][1:])
        if name:
            return name
    for group in groups:
        if len(group) < 2 or cue.gender is None or _verb_gender(group[0].text) != cue.gender:
            continue
        if lex.cue(group[0].text):
            continue
        second = group[1]
        if normalize(second.text) in NAME_HEADS and len(group) > 2:
            return [second, group[2]]  # `تقف أم محمد`
        n = normalize(second.text)
        if (
            n.startswith("ال")
            or len(n) < 3
            or not second.text.isalpha()
            or is_common_noun(lex, second.text)
            or lex.cue(second.text)
            or lex.pronoun(second.text)
            or lex.suffix_of(second.text)
            or _verb_gender(second.text) is not None  # `تعيد تقول`: a verb after a verb
        ):
            continue
        return [second]
    return None


def _pre(tokens: list[Token]) -> tuple[int, int] | None:
    return (tokens[0].start, tokens[-1].end) if tokens else None


def evidence_from_phrase(np: SpeakerPhrase, gender: str | None) -> SpeakerEvidence:
    if np.np == "pronoun":
        g = np.gender if np.gender in ("m", "f") else gender
        return SpeakerEvidence("elided", g, np="pronoun", name=np.name, head=np.head)
    return SpeakerEvidence(
        "explicit",
        gender,
        np.region or None,
        np.name,
        np=np.np,
        head=np.head,
        of=np.of,
        qualifier=np.qualifier,
    )
