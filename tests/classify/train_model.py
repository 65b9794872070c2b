"""Trains core/classify/data/model.json from every labelled training set.

Run: .venv/bin/python -m tests.classify.train_model [--check]

--check  exit 1 if model.json is not what training gives (training is deterministic)
"""

from __future__ import annotations

import sys

from core.classify.model import MODEL_FILE
from core.classify.training import train
from tests.classify.sets import TRAINING_SETS

VERSION = "2026.12-1"


def build() -> str:
    examples = [e for s in TRAINING_SETS for e in s.examples()]
    return train(examples, VERSION).to_json()


def main() -> None:
    text = build()
    if "--check" in sys.argv:
        if MODEL_FILE.read_text(encoding="utf-8") != text:
            sys.exit(f"{MODEL_FILE} is stale: run python -m tests.classify.train_model")
        return
    MODEL_FILE.write_text(text, encoding="utf-8")
    print(f"wrote {MODEL_FILE}")


if __name__ == "__main__":
    main()
