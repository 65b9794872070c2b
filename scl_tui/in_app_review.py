"""The review worker an app runs in a background thread, where this host can have one.

An agent's app needs no OpenAI key: with the OpenAI classifier configured and no key
within its reach (an agent's own keyring, a shared host without one), the app opens
without its own reviewer and says once that reviewing is the worker's job here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.config import AppConfig
    from core.services.context import ServiceContext
    from core.workers.review_worker import ReviewWorker

REVIEWS_ELSEWHERE = (
    "Reviews are the worker's job here: this app has no OpenAI key, so `scl worker` "
    "reviews the calls. Everything else works as usual."
)


def in_app_reviewer(
    ctx: ServiceContext, config: AppConfig
) -> tuple[ReviewWorker | None, str | None]:
    """(the app's reviewer, None), or (None, what the app should say once about it)."""
    from core.classify.factory import make_classifier
    from core.workers.review_worker import ReviewWorker, WorkerOptions

    if not config.review_in_app:
        return None, None
    no_key: tuple[type[Exception], ...] = ()
    if config.classifier == "openai":  # the SDK and the keyring load only then
        from core.adapters.secrets import SecretsError
        from core.classify.openai_classifier import MissingApiKey

        no_key = (MissingApiKey, SecretsError)
    try:
        classifier = make_classifier(config)
    except no_key:
        return None, REVIEWS_ELSEWHERE
    options = WorkerOptions.from_config(config)
    # "app": its heartbeat row says an app reviews, for as long as the app is open.
    return ReviewWorker(ctx, classifier, options=options, kind="app"), None
