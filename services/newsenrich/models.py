"""`newsenrich models show|download`: what models a deployment has, and how it gets them.

Downloading uses stanza's own downloader for the installed (pinned) stanza
version, so model and code versions always agree. It needs internet: run it
on a build machine (the Dockerfile does) and ship the folder, never at
worker start-up.
"""

from __future__ import annotations

import sys
from typing import Any

from newsenrich.nlp.pipeline import WANTED_PROCESSORS, ModelsMissing, discover, resources_dir


def show(languages: list[str]) -> int:
    root = resources_dir()
    print(f"STANZA_RESOURCES_DIR = {root}")
    status = 0
    for lang in languages:
        try:
            found = discover(lang, root)
        except ModelsMissing as exc:
            print(f"{lang}: MISSING: {exc}")
            status = 3
            continue
        for proc in WANTED_PROCESSORS:
            print(f"{lang}: {proc:<9} {found.versions.get(proc) or '(none: this step is skipped)'}")
        if "gazetteer" in found.versions:
            print(f"{lang}: {'gazetteer':<9} {found.versions['gazetteer']}")
    return status


def download(languages: list[str]) -> int:
    import stanza

    root = resources_dir()
    for lang in languages:
        print(f"downloading stanza {stanza.__version__} models for {lang} into {root}", file=sys.stderr)
        try:
            stanza.download(lang, model_dir=str(root), processors=",".join(WANTED_PROCESSORS), verbose=False)
        except Exception as exc:  # network errors come in many types
            print(f"newsenrich: download failed for {lang}: {exc}", file=sys.stderr)
            return 1
    return show(languages)


def train(args: Any, gazetteer_only: bool = False) -> int:
    """`newsenrich models train ar|en` (or `models gazetteer ar`): see newsenrich.training.run."""
    from pathlib import Path

    from newsenrich.training.run import Plan, rebuild_gazetteer
    from newsenrich.training.run import train as run_train

    known = ("ar",) if gazetteer_only else ("ar", "en")
    langs = args.train_lang or list(known)
    bad = [lang for lang in langs if lang not in known]
    if bad:
        what = "gazetteer" if gazetteer_only else "training recipe"
        print(f"newsenrich: no {what} for {', '.join(bad)} ({', '.join(known)})", file=sys.stderr)
        return 2
    for lang in langs:
        plan = Plan(
            lang=lang,
            data=Path(args.data),
            work=Path(args.work) / lang,
            out=Path(args.out),
            base=Path(args.base) if args.base else resources_dir(),
            baseline=Path(args.baseline) if args.baseline else None,
            max_steps=args.steps,
        )
        if gazetteer_only:
            rebuild_gazetteer(plan)
        else:
            run_train(plan)
    return 0
