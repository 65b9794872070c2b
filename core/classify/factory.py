"""Choosing the classifier the config names."""

from __future__ import annotations

from core.classify.base import Classifier
from core.classify.embedded import EmbeddedClassifier
from core.config import AppConfig
from core.errors import ConfigError

CLASSIFIERS = ("embedded", "openai")


def make_classifier(config: AppConfig) -> Classifier:
    if config.classifier == "embedded":
        return EmbeddedClassifier()
    if config.classifier == "openai":
        from core.classify.openai_classifier import OpenAIClassifier  # the SDK loads only here

        return OpenAIClassifier.from_config(config.openai)
    raise ConfigError(
        f"unknown classifier {config.classifier!r}; choose one of: {', '.join(CLASSIFIERS)}"
    )
