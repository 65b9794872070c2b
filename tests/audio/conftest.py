"""The tests' sound card (see soundcard.py) as fixtures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.audio.soundcard import SoundCard, install_sound_card, remove_sound_cards


@pytest.fixture
def sound_card(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SoundCard]:
    card = install_sound_card(tmp_path, monkeypatch)
    yield card
    card.close()


@pytest.fixture
def no_sound_card(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    remove_sound_cards(tmp_path, monkeypatch)
