"""stanza's NER model run for inference only: the same tags, without the training-time work.

`Trainer.predict` is written for evaluation during training. On the entities
worker's articles (one torch thread) a fifth of its time went to work whose
result the tags never read, or to Python loops over what numpy does at once:

* the CRF's loss (`CRFLoss.forward` runs the forward algorithm over every
  batch, and predict throws the loss away): here the CRF gives its
  transition matrix and nothing else;
* Viterbi decoding one sentence at a time, four numpy calls per word: here
  every sentence of a batch is decoded together, one step per position;
* the data loader's padded tensors, filled one row (one word) at a time:
  here each is filled by one numpy assignment (`padded`).

Each does the same arithmetic in the same order as stanza's, so ties break
the same way and the tags are identical: `tests/unit/test_ner_inference.py`
holds the decoder and the tensors equal to stanza's own, and
`tests/quality/test_ner_in_steps.py` the names to the whole pipeline's.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt


def viterbi_paths(
    scores: npt.NDArray[np.floating[Any]], lengths: Sequence[int], transitions: npt.NDArray[np.floating[Any]]
) -> list[list[int]]:
    """The best tag sequence of each sentence of a padded batch (`scores`: batch × words × tags).

    Positions past a sentence's length are computed and never read: its path is traced back
    from its own last word. `transitions[i, j]` scores tag i followed by tag j, as in stanza.
    """
    batch, width, _ = scores.shape
    if batch == 0 or width == 0:
        return [[] for _ in lengths]
    trellis = np.empty_like(scores)
    back = np.zeros(scores.shape, dtype=np.int64)
    trellis[:, 0] = scores[:, 0]
    for t in range(1, width):
        step = trellis[:, t - 1, :, None] + transitions  # batch × previous tag × tag
        trellis[:, t] = scores[:, t] + step.max(axis=1)
        back[:, t] = step.argmax(axis=1)
    ends = np.asarray(lengths, dtype=np.int64) - 1
    rows = np.arange(batch)
    last = trellis[rows, np.maximum(ends, 0)].argmax(axis=1)
    tag = np.zeros(batch, dtype=np.int64)
    path = np.zeros((batch, width), dtype=np.int64)
    for t in range(width - 1, -1, -1):
        starting = ends == t
        tag[starting] = last[starting]
        path[:, t] = tag
        if t:
            tag = back[rows, t, tag]
    return [path[i, :n].tolist() for i, n in enumerate(lengths)]


def padded(tokens_list: list[Any], batch_size: int, pad_id: int = 0) -> Any:
    """stanza's `get_long_tensor` for a list of id lists, filled at once; deeper lists go to stanza's."""
    import torch
    from stanza.models.common.data import get_long_tensor

    first = next((row[0] for row in tokens_list if row), None) if tokens_list else None
    if not isinstance(first, int) or not all(isinstance(row, list) for row in tokens_list):
        return get_long_tensor(tokens_list, batch_size, pad_id)
    lengths = np.fromiter(map(len, tokens_list), dtype=np.int64, count=len(tokens_list))
    width = int(lengths.max())
    out = np.full((batch_size, width), pad_id, dtype=np.int64)
    flat = np.fromiter(itertools.chain.from_iterable(tokens_list), dtype=np.int64, count=int(lengths.sum()))
    out[: len(tokens_list)][np.arange(width) < lengths[:, None]] = flat
    return torch.from_numpy(out)


class _TransitionsOnly:
    """Stands in for a `CRFLoss` while predicting: the model reads only its transitions."""

    def __init__(self, transitions: Any):
        self.transitions = transitions

    def __call__(self, inputs: Any, masks: Any, tags: Any) -> tuple[int, Any]:
        return 0, self.transitions


@contextlib.contextmanager
def inference_only(trainer: Any) -> Iterator[None]:
    """While inside: the model's CRFs skip the loss and the NER data loader fills tensors at once.

    Both are put back on leaving. The caller holds the annotator's lock, under which all of this
    process's NER runs; another caller meanwhile would get the same tensors either way.
    """
    from stanza.models.ner import data as ner_data

    model = trainer.model
    crits, loader_tensor = model.crits, ner_data.get_long_tensor
    # A plain list, not a ModuleList: the model only zips over it, and nn.Module would not
    # take a non-module there. Set through __dict__ to step around nn.Module's __setattr__.
    del model._modules["crits"]
    model.__dict__["crits"] = [_TransitionsOnly(c._transitions) for c in crits]
    ner_data.get_long_tensor = padded
    try:
        yield
    finally:
        del model.__dict__["crits"]
        model._modules["crits"] = crits
        ner_data.get_long_tensor = loader_tensor


def predict(trainer: Any, batch: Any) -> list[list[str]]:
    """`Trainer.predict` for inside `inference_only`: each sentence's tags, in the input order."""
    from stanza.models.common.utils import unsort
    from stanza.models.common.vocab import VOCAB_PREFIX_SIZE
    from stanza.models.ner.trainer import fix_singleton_tags, unpack_batch

    model = trainer.model
    device = next(model.parameters()).device
    unpacked = unpack_batch(batch, device)
    (word, wordchars, wordchars_mask, chars, tags), orig_idx, word_orig, char_orig = unpacked[:4]
    sentlens, wordlens, charlens, charoffsets = unpacked[4:]
    model.eval()
    _, logits, trans = model(
        *(word, wordchars, wordchars_mask, tags, word_orig, sentlens, wordlens),
        *(chars, charoffsets, charlens, char_orig),
    )
    columns = [
        viterbi_paths(x.data.cpu().numpy(), sentlens, y.data.cpu().numpy())
        for x, y in zip(logits, trans, strict=True)
    ]
    tagset = trainer.args["predict_tagset"]
    vocab = trainer.vocab["tag"]
    out = []
    for i in range(len(sentlens)):
        ids = zip(*[[max(t, VOCAB_PREFIX_SIZE) for t in column[i]] for column in columns], strict=True)
        names = [x[tagset] if isinstance(x, list) else x for x in vocab.unmap(list(ids))]
        out.append(fix_singleton_tags(names))
    return list(unsort(out, orig_idx))
