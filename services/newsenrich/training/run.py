"""The stages of `newsenrich models train LANG`, each resumable.

    corpora  -> WORK/LANG/data/{train,dev}.json, test/<corpus>.json, corpora.json
    vectors  -> WORK/LANG/vectors.pt
    ner      -> WORK/LANG/ner.pt  (stanza's BiLSTM-CRF tagger, best dev checkpoint)
    evaluate -> WORK/LANG/scores.json (held-out test F1 per corpus, new and baseline)
    package  -> OUT/LANG/..., OUT/resources.json, OUT/MODELS.md

A finished stage leaves its output and is skipped next time. An interrupted
NER run continues from its best checkpoint for the steps it had left (stanza's
tagger keeps no optimiser state, so a resumed run restarts its learning-rate
schedule: the dev score decides what is kept either way).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsenrich.training import corpora as C

SEED = 1234
PACKAGE = "newsenrich"  # the stanza package name of our own NER and vectors


@dataclass(frozen=True)
class Plan:
    lang: str
    data: Path  # ../shared/data
    work: Path  # WORK/LANG
    out: Path  # the resources folder to write
    base: Path  # a resources folder to take the tokenizer and MWT models from
    baseline: Path | None  # a resources folder whose NER to score beside ours
    max_steps: int
    hidden_dim: int = 256


def _say(msg: str) -> None:
    print(f"[train {msg}", file=sys.stderr, flush=True)


def _write_json(path: Path, sents: list[C.Sentence]) -> None:
    # A token with no visible text (a stray zero-width or control character) breaks stanza's reader.
    clean = [[(w, t) for w, t in s if w.strip()] for s in sents]
    doc = [[{"text": w, "ner": t} for w, t in s] for s in clean if s]
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def stage_corpora(plan: Plan) -> dict[str, Any]:
    info_path = plan.work / "corpora.json"
    if info_path.is_file():
        return json.loads(info_path.read_text())
    _say(f"{plan.lang}] reading corpora from {plan.data}")
    (plan.work / "data/test").mkdir(parents=True, exist_ok=True)
    corp = C.load(plan.lang, plan.data)
    train = [s for c in corp for _ in range(c.weight) for s in c.train]
    dev = [s for c in corp if c.selects for s in c.dev]
    _write_json(plan.work / "data/train.json", train)
    _write_json(plan.work / "data/dev.json", dev)
    for c in corp:
        _write_json(plan.work / f"data/test/{c.name}.json", c.test)
    info = {
        c.name: {
            "licence": c.licence,
            "cite": c.cite,
            "note": c.note,
            "counts": c.counts(),
            "weight": c.weight,
            "selects": c.selects,
        }
        for c in corp
    }
    info_path.write_text(json.dumps(info, indent=1, ensure_ascii=False))
    _say(f"{plan.lang}] {len(train)} train / {len(dev)} dev sentences from {len(corp)} corpora")
    return info


def stage_vectors(plan: Plan) -> Path:
    from newsenrich.training.vectors import train_vectors

    out = plan.work / "vectors.pt"
    if out.is_file():
        return out
    _say(f"{plan.lang}] training word vectors")
    text: list[list[str]] = []
    seen: set[tuple[str, ...]] = set()
    for part in ("train", "dev"):
        doc = json.loads((plan.work / f"data/{part}.json").read_text())
        for s in doc:
            words = tuple(w["text"] for w in s)
            if words not in seen:  # a corpus seen several times in training counts once here
                seen.add(words)
                text.append(list(words))
    text.extend(C.unlabelled_text(plan.lang, plan.data))
    n = train_vectors(text, out, lowercase=plan.lang == "en")
    _say(f"{plan.lang}] {n} word vectors")
    return out


_STEP = re.compile(r"step (\d+)/(\d+)")
_DEV = re.compile(r"(?:Dev|dev).*?(?:score|F1)[^0-9]*([0-9.]+)")


def stage_ner(plan: Plan, vectors: Path) -> Path:
    model = plan.work / "ner.pt"
    done = plan.work / "ner.done.json"
    if done.is_file():
        return model
    log_path = plan.work / "ner.log"
    steps_before = 0
    if model.is_file() and log_path.is_file():
        steps_before = max((int(m.group(1)) for m in _STEP.finditer(log_path.read_text())), default=0)
    remaining = max(500, plan.max_steps - steps_before)
    args = [
        sys.executable,
        "-m",
        "stanza.models.ner_tagger",
        "--mode=train",
        f"--train_file={plan.work / 'data/train.json'}",
        f"--eval_file={plan.work / 'data/dev.json'}",
        f"--wordvec_pretrain_file={vectors}",
        f"--shorthand={plan.lang}_{PACKAGE}",
        f"--save_dir={plan.work}",
        "--save_name=ner.pt",
        f"--max_steps={remaining}",
        "--max_steps_no_improve=3000",
        "--eval_interval=500",
        f"--hidden_dim={plan.hidden_dim}",
        f"--seed={SEED}",
        "--log_step=100",
    ]
    if steps_before:
        args += ["--finetune", f"--finetune_load_name={model}"]
        _say(f"{plan.lang}] resuming NER from its checkpoint at step {steps_before}, {remaining} steps left")
    else:
        _say(f"{plan.lang}] training NER, {remaining} steps (progress every 100)")
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    t0 = time.time()
    with log_path.open("a", encoding="utf-8") as log:
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        assert proc.stdout is not None
        for line in proc.stdout:
            m = _STEP.search(line)
            if m:  # keep one cumulative step count in the log, across resumes
                line = line.replace(m.group(0), f"step {steps_before + int(m.group(1))}/{plan.max_steps}")
            log.write(line)
            log.flush()
            if m or "dev_score" in line:
                _say(f"{plan.lang}] {line.strip()[-110:]}")
        rc = proc.wait()
    if rc != 0 or not model.is_file():
        raise RuntimeError(f"NER training failed (exit {rc}); see {log_path}")
    prev = 0.0
    seconds_path = plan.work / "ner.seconds"
    if seconds_path.is_file():
        prev = float(seconds_path.read_text())
    seconds = prev + time.time() - t0
    seconds_path.write_text(str(seconds))
    done.write_text(json.dumps({"seconds": round(seconds), "max_steps": plan.max_steps}))
    return model


# --- gazetteer ----------------------------------------------------------------------------


def _entity_strings(doc: list[list[dict[str, str]]]) -> list[tuple[str, str]]:
    out = []
    for sent in doc:
        cur: list[str] = []
        kind = None
        for w in [*sent, {"text": "", "ner": "O"}]:
            tag = w["ner"]
            if cur and (tag == "O" or tag.startswith("B-") or tag[2:] != kind):
                out.append((" ".join(cur), kind or ""))
                cur, kind = [], None
            if tag != "O":
                if not cur:
                    kind = tag[2:]
                cur.append(w["text"])
    return out


def stage_gazetteer(plan: Plan) -> Path:
    """Place and organisation names the training corpora label consistently (train split only).

    A name seen at least twice, given one label at least 90% of the time,
    becomes evidence for the service's gazetteer (`nlp/gazetteer.py`). Arabic
    adds the GeoNames towns of Arabic-speaking countries that the same split
    does not use as ordinary words (`training/towns.py`).
    """
    from collections import Counter

    from newsenrich.nlp.text import PROCLITICS, name_tokens

    out = plan.work / "gazetteer.json"
    if out.is_file():
        return out
    doc = json.loads((plan.work / "data/train.json").read_text())
    counts: dict[str, Counter[str]] = {}
    for text, label in _entity_strings(doc):
        key = " ".join(name_tokens(text))
        # Words only: no hashtags, handles, numbers or single letters left by a corpus's tokenizer.
        if key and all(len(t) > 1 and t.replace("-", "").replace("'", "").isalpha() for t in key.split()):
            counts.setdefault(key, Counter())[label] += 1
    if plan.lang == "ar":
        # `بالقاهرة`, `والرياض`: a proclitic the corpus kept on a name seen without it too.
        for key in sorted(counts, key=len, reverse=True):
            for p in sorted(PROCLITICS, key=len, reverse=True):
                rest = key[len(p) :]
                if key.startswith(p) and rest in counts and rest != key:
                    counts[rest].update(counts.pop(key))
                    break
    result: dict[str, list[str]] = {"LOC": [], "ORG": []}
    for key, by in counts.items():
        total = sum(by.values())
        label, n = by.most_common(1)[0]
        if label in result and total >= 2 and n / total >= 0.9 and len(key) >= 3 and len(key.split()) <= 6:
            result[label].append(key)
    if plan.lang == "ar":
        from newsenrich.nlp.gazetteer import TOWN
        from newsenrich.training.towns import names_not_words, town_names

        sentences = [[(w["text"], w["ner"]) for w in sent] for sent in doc]
        towns = names_not_words(town_names(), sentences)
        known = {tuple(k.split()) for k in result["LOC"] + result["ORG"]}
        result[TOWN] = sorted(" ".join(t) for t in towns - known)
        _say(f"{plan.lang}] gazetteer: {len(result[TOWN])} more GeoNames towns")
    for v in result.values():
        v.sort()
    out.write_text(json.dumps(result, ensure_ascii=False, indent=0))
    _say(f"{plan.lang}] gazetteer: {len(result['LOC'])} places, {len(result['ORG'])} organisations")
    return out


# --- evaluation ---------------------------------------------------------------------------


def _spans(tags: list[str]) -> set[tuple[int, int, str]]:
    """Entity spans of a BIO or BIOES sequence; MISC left out (English models learn none)."""
    out, start, kind = set(), None, None
    for i, t in enumerate([*tags, "O"]):
        prefix, _, typ = t.partition("-")
        begins = prefix in {"B", "S"} or (prefix in {"I", "E"} and typ != kind)
        if start is not None and (prefix == "O" or begins):
            out.add((start, i, kind))
            start, kind = None, None
        if prefix != "O" and begins:
            start, kind = i, typ
        if prefix in {"E", "S"} and start is not None:
            out.add((start, i + 1, kind))
            start, kind = None, None
    return {s for s in out if s[2] in {"PER", "ORG", "LOC"}}


def score_model(lang: str, ner_model: Path, pretrain: Path, tests: dict[str, Path], fold: bool) -> dict:
    """Exact-span micro P/R/F1 over PER/ORG/LOC on each test file, through a stanza pipeline."""
    import stanza

    from newsenrich.nlp.pipeline import resources_dir
    from newsenrich.nlp.text import ner_fold

    nlp = stanza.Pipeline(
        lang,
        dir=str(resources_dir()),  # only its resources.json is read: the models are given by path
        processors="tokenize,ner",
        tokenize_pretokenized=True,
        ner_model_path=str(ner_model),
        ner_pretrain_path=str(pretrain),
        download_method=None,
        logging_level="WARN",
        use_gpu=False,
        ner_batch_size=64,
    )
    scores: dict[str, dict[str, float]] = {}
    for name, path in tests.items():
        doc = json.loads(path.read_text())
        words = [[(ner_fold(w["text"]) if fold else w["text"]) for w in s] for s in doc]
        gold = [[w["ner"] for w in s] for s in doc]
        out = nlp(words)
        tp = fp = fn = 0
        for sent, g in zip(out.sentences, gold, strict=True):
            pred = _spans([t.ner for t in sent.tokens])
            ref = _spans(g)
            tp += len(pred & ref)
            fp += len(pred - ref)
            fn += len(ref - pred)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        scores[name] = {"p": round(100 * p, 2), "r": round(100 * r, 2), "f1": round(100 * f, 2)}
        _say(f"{lang}] {ner_model.parent.name}/{ner_model.name} on {name}: F1 {scores[name]['f1']}")
    return scores


def _resources_entry(root: Path, lang: str) -> dict[str, Any]:
    return json.loads((root / "resources.json").read_text())[lang]


def _baseline_paths(root: Path, lang: str) -> tuple[Path, Path] | None:
    try:
        entry = _resources_entry(root, lang)
    except (OSError, KeyError, ValueError):
        return None
    pkg = entry.get("default_processors", {}).get("ner")
    if not pkg:
        return None
    deps = entry.get("ner", {}).get(pkg, {}).get("dependencies", [])
    pre = next((d["package"] for d in deps if d["model"] == "pretrain"), None)
    if pre is None:
        return None
    return root / lang / "ner" / f"{pkg}.pt", root / lang / "pretrain" / f"{pre}.pt"


def stage_evaluate(plan: Plan, model: Path, vectors: Path) -> dict[str, Any]:
    path = plan.work / "scores.json"
    if path.is_file():
        return json.loads(path.read_text())
    tests = {p.stem: p for p in sorted((plan.work / "data/test").glob("*.json"))}
    result: dict[str, Any] = {"new": score_model(plan.lang, model, vectors, tests, fold=plan.lang == "ar")}
    if plan.baseline is not None and (paths := _baseline_paths(plan.baseline, plan.lang)):
        # The baseline is fed what the service fed it: the article's own spelling.
        result["baseline"] = score_model(plan.lang, *paths, tests, fold=False)
        result["baseline_files"] = [str(p) for p in paths]
    path.write_text(json.dumps(result, indent=1))
    return result


# --- packaging ----------------------------------------------------------------------------


def _md5(path: Path) -> str:
    import hashlib

    return hashlib.md5(path.read_bytes()).hexdigest()


def _compact(src: Path, dst: Path) -> None:
    """Copy a stanza NER checkpoint with its weights in float16, halving the shipped size.

    stanza loads a state dict with `load_state_dict`, which copies each tensor
    into the float32 parameter, so the model runs in float32 as trained.
    """
    import torch

    ckpt = torch.load(src, map_location="cpu", weights_only=False)
    ckpt["model"] = {
        k: v.half() if torch.is_tensor(v) and v.is_floating_point() else v for k, v in ckpt["model"].items()
    }
    for key in ("train_file", "eval_file", "wordvec_pretrain_file", "save_dir"):
        if key in ckpt.get("config", {}) and ckpt["config"][key]:
            ckpt["config"][key] = Path(str(ckpt["config"][key])).name
    torch.save(ckpt, dst)


def stage_package(plan: Plan, model: Path, vectors: Path, gazetteer: Path | None = None) -> None:
    lang, out = plan.lang, plan.out
    base = _resources_entry(plan.base, lang)
    defaults = base.get("default_processors", {})
    entry: dict[str, Any] = {"lang_name": base.get("lang_name", lang), "default_processors": {}}
    for proc in ("tokenize", "mwt"):
        pkg = defaults.get(proc)
        if not pkg:
            continue
        src = plan.base / lang / proc / f"{pkg}.pt"
        dst = out / lang / proc / f"{pkg}.pt"
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.resolve() != dst.resolve():
            shutil.copyfile(src, dst)
        entry[proc] = {pkg: {"md5": _md5(dst)}}
        entry["default_processors"][proc] = pkg
    pre_dst = out / lang / "pretrain" / f"{PACKAGE}.pt"
    ner_dst = out / lang / "ner" / f"{PACKAGE}.pt"
    pre_dst.parent.mkdir(parents=True, exist_ok=True)
    ner_dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(vectors, pre_dst)
    _compact(model, ner_dst)
    if gazetteer is not None:
        shutil.copyfile(gazetteer, out / lang / "gazetteer.json")
    entry["pretrain"] = {PACKAGE: {"md5": _md5(pre_dst)}}
    entry["ner"] = {
        PACKAGE: {"md5": _md5(ner_dst), "dependencies": [{"model": "pretrain", "package": PACKAGE}]}
    }
    entry["default_processors"]["ner"] = PACKAGE
    entry["packages"] = {"default": dict(entry["default_processors"])}
    index_path = out / "resources.json"
    index = json.loads(index_path.read_text()) if index_path.is_file() else {}
    index[lang] = entry
    index_path.write_text(json.dumps(index, indent=2, ensure_ascii=False) + "\n")
    _say(f"{lang}] packaged into {out}")


def rebuild_gazetteer(plan: Plan) -> int:
    """`models gazetteer ar`: the gazetteer stage alone, into the shipped models and MODELS.md.

    Place evidence changes without the hours of retraining the tagger: the corpora are
    read again (the same fixed splits) and the gazetteer written from them afresh.
    """
    from newsenrich.training.report import update_gazetteer_note

    stage_corpora(plan)
    (plan.work / "gazetteer.json").unlink(missing_ok=True)
    path = stage_gazetteer(plan)
    dst = plan.out / plan.lang / "gazetteer.json"
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, dst)
    update_gazetteer_note(plan.out, plan.lang, json.loads(path.read_text()))
    _say(f"{plan.lang}] gazetteer written to {dst}")
    return 0


def train(plan: Plan) -> int:
    plan.work.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    stage_corpora(plan)
    vectors = stage_vectors(plan)
    model = stage_ner(plan, vectors)
    scores = stage_evaluate(plan, model, vectors)
    # English place labels in the corpora are noisy (demonyms, `airport` in tweets); CLDR and
    # pycountry cover English places, so only Arabic ships the corpora's gazetteer.
    gaz = stage_gazetteer(plan) if plan.lang == "ar" else None
    stage_package(plan, model, vectors, gaz)
    from newsenrich.training.report import write_models_md

    write_models_md(plan.out, plan.work.parent)
    for name, s in scores["new"].items():
        old = scores.get("baseline", {}).get(name, {}).get("f1")
        _say(f"{plan.lang}] test {name}: F1 {s['f1']}" + (f" (baseline {old})" if old is not None else ""))
    _say(f"{plan.lang}] done in {time.time() - t0:.0f}s")
    return 0
