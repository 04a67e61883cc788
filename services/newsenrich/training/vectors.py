"""Word vectors for the NER models, trained here on the open text we have.

No open pretrained vectors can be fetched on the project's machines, and the
NER tagger leans on them for words its training data saw rarely. So: skip-gram
word2vec (gensim, deterministic with one worker and a fixed seed) over the
training and dev text of every corpus plus unlabelled treebank text; test text
is never seen. English is lower-cased, as the tagger looks words up lower-cased.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

DIM = 100
MAX_VOCAB = 60_000  # caps the shipped file (~24 MB at 100 dimensions)


def train_vectors(sentences: Iterable[list[str]], out_pt: Path, *, lowercase: bool, seed: int = 1) -> int:
    """Train vectors, write them as a stanza Pretrain file, and return the vocabulary size."""
    from gensim.models import Word2Vec
    from stanza.models.common.pretrain import Pretrain

    text = [[w.lower() if lowercase else w for w in s] for s in sentences]
    print(f"vectors: {len(text)} sentences, {sum(map(len, text))} tokens", file=sys.stderr)
    model = Word2Vec(
        sentences=text,
        vector_size=DIM,
        window=5,
        min_count=2,
        sg=1,
        epochs=10,
        seed=seed,
        workers=1,
    )
    words = model.wv.index_to_key[:MAX_VOCAB]
    vec_path = out_pt.with_suffix(".vec")
    with vec_path.open("w", encoding="utf-8") as f:
        f.write(f"{len(words)} {DIM}\n")
        for w in words:
            if " " in w:
                continue
            f.write(w + " " + " ".join(f"{x:.5f}" for x in model.wv[w]) + "\n")
    out_pt.parent.mkdir(parents=True, exist_ok=True)
    pretrain = Pretrain(str(out_pt), str(vec_path), max_vocab=MAX_VOCAB + 10)
    pretrain.load()
    vec_path.unlink()
    return len(words)
