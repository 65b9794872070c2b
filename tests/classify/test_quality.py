"""The embedded classifier against labelled calls it must keep getting right."""

from __future__ import annotations

import pytest

from tests.classify.evaluate import SETS, score

TARGET = 0.90


@pytest.mark.parametrize("name", [n for n, path in SETS.items() if path.exists()])
def test_precision_and_recall_stay_at_target_on_every_labelled_set(name):
    result = score(SETS[name])["all"]
    assert result.precision >= TARGET and result.recall >= TARGET, (
        f"{name}: {result}\n" + "\n".join(result.wrong)
    )
