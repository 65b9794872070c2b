"""The schema the OpenAI classifier sends is made from the model that checks the answer,
so the two cannot drift apart; and it is one OpenAI's strict mode accepts."""

from __future__ import annotations

from typing import Any

from core.classify import openai_classifier
from tests.classify.fake_openai import FakeOpenAI
from tests.classify.test_openai_classifier import a_call, classifier_for

ANSWER = openai_classifier._Answer
# Keywords OpenAI's strict structured outputs refuse that pydantic writes.
REFUSED_BY_STRICT_MODE = {"title", "default", "minLength", "maxLength"}


def sent_schema(fake_openai: FakeOpenAI) -> dict[str, Any]:
    classifier_for(fake_openai).classify(a_call())
    return fake_openai.requests[0].body["response_format"]["json_schema"]["schema"]


def objects_in(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, list):
        return [found for item in node for found in objects_in(item)]
    if not isinstance(node, dict):
        return []
    return [node] + [found for value in node.values() for found in objects_in(value)]


def test_the_schema_sent_has_each_field_of_the_answer_model_with_its_type_bounds_and_words(
    fake_openai: FakeOpenAI,
):
    sent = sent_schema(fake_openai)
    own = ANSWER.model_json_schema()["properties"]
    assert list(sent["properties"]) == list(ANSWER.model_fields)
    for name, field in sent["properties"].items():
        expected = {k: v for k, v in own[name].items() if k not in REFUSED_BY_STRICT_MODE}
        assert field == expected, name


def test_the_schema_sent_closes_every_object_and_requires_every_property(
    fake_openai: FakeOpenAI,
):
    for node in objects_in(sent_schema(fake_openai)):
        if node.get("type") == "object":
            assert node["additionalProperties"] is False
            assert node["required"] == list(node["properties"])


def test_the_schema_sent_has_no_keyword_strict_mode_refuses(fake_openai: FakeOpenAI):
    for node in objects_in(sent_schema(fake_openai)):
        assert not REFUSED_BY_STRICT_MODE & {k for k in node if k != "properties"}


def test_a_field_added_to_the_answer_model_is_asked_for_too():
    class Wider(ANSWER):
        callback_window: str | None

    schema = openai_classifier.strict_schema(Wider)
    assert "callback_window" in schema["required"]
    assert schema["properties"]["callback_window"] == {
        "anyOf": [{"type": "string"}, {"type": "null"}]
    }
