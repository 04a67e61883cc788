"""The inference-only NER path does stanza's arithmetic: the same paths, tensors and tags."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from stanza.models.common.crf import CRFLoss, viterbi_decode
from stanza.models.common.data import get_long_tensor
from stanza.models.ner import data as ner_data

from newsenrich.nlp.ner_inference import inference_only, padded, viterbi_paths

# Small integers as scores make ties common: the paths must break them as stanza does.
_score = st.integers(min_value=-2, max_value=2).map(float)


@settings(max_examples=200, deadline=None)
@given(
    tags=st.integers(min_value=1, max_value=5),
    lengths=st.lists(st.integers(min_value=1, max_value=9), min_size=1, max_size=6),
    data=st.data(),
)
def test_batched_viterbi_finds_stanzas_path_for_every_sentence(tags, lengths, data):
    width = max(lengths)
    size = len(lengths) * width * tags
    scores = np.array(data.draw(st.lists(_score, min_size=size, max_size=size)), dtype=np.float32)
    scores = scores.reshape(len(lengths), width, tags)
    transitions = np.array(
        data.draw(st.lists(_score, min_size=tags * tags, max_size=tags * tags)), dtype=np.float32
    ).reshape(tags, tags)
    expected = [viterbi_decode(scores[i, :n], transitions)[0] for i, n in enumerate(lengths)]
    assert viterbi_paths(scores, lengths, transitions) == [[int(t) for t in path] for path in expected]


@given(
    rows=st.lists(st.lists(st.integers(min_value=0, max_value=300), max_size=7), min_size=1, max_size=8),
    extra=st.integers(min_value=0, max_value=3),
    pad=st.sampled_from([0, 1, 7]),
)
def test_padded_tensors_equal_stanzas(rows, extra, pad):
    if not any(rows):
        return  # stanza's own fails on a batch of nothing but empty rows; the loader never builds one
    got = padded(rows, len(rows) + extra, pad)
    want = get_long_tensor(rows, len(rows) + extra, pad)
    assert got.dtype == want.dtype and torch.equal(got, want)


def test_nested_lists_go_to_stanzas_own():
    rows = [[[1, 2], [3, 4]], [[5, 6]]]  # a sentence's tag columns per word
    assert torch.equal(padded(rows, 2), get_long_tensor(rows, 2))


def test_inference_only_skips_the_loss_and_puts_everything_back():
    model = torch.nn.Module()
    model.crits = torch.nn.ModuleList([CRFLoss(4), CRFLoss(4)])
    crits, loader_tensor = model.crits, ner_data.get_long_tensor
    trainer = SimpleNamespace(model=model)
    with inference_only(trainer):
        assert ner_data.get_long_tensor is padded
        loss, trans = model.crits[1](torch.zeros(1, 2, 4), torch.zeros(1, 2, dtype=torch.bool), None)
        assert loss == 0 and trans is crits[1]._transitions
    assert model.crits is crits and model._modules["crits"] is crits
    assert ner_data.get_long_tensor is loader_tensor
    # and after an error inside, too
    try:
        with inference_only(trainer):
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert model.crits is crits and ner_data.get_long_tensor is loader_tensor
