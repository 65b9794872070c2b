"""Choosing the classifier the config names."""

from __future__ import annotations

from core.classify.base import Classifier
from core.classify.embedded import EmbeddedClassifier
from core.classify.profile import CompanyProfile
from core.config import AppConfig
from core.errors import ConfigError

CLASSIFIERS = ("embedded", "openai")


def make_classifier(config: AppConfig, profile: CompanyProfile | None = None) -> Classifier:
    """The configured classifier, judging against `profile` (the workers switch to the
    stored profile before each batch)."""
    if config.classifier == "embedded":
        return EmbeddedClassifier(profile)
    if config.classifier == "openai":
        from core.classify.openai_classifier import OpenAIClassifier  # the SDK loads only here

        classifier = OpenAIClassifier.from_config(config.openai)
        if profile is not None:
            classifier.use_profile(profile)
        return classifier
    raise ConfigError(
        f"unknown classifier {config.classifier!r}; choose one of: {', '.join(CLASSIFIERS)}"
    )
