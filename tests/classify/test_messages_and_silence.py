"""Voicemails and calls with no words: a message left is a request to be called, a call
never transcribed is not "nobody spoke", and a caller who asks to be rung is not one who
will ring back."""

from __future__ import annotations

from dataclasses import replace

from core.classify.embedded import EmbeddedClassifier
from core.classify.no_transcript import UNHEARD_VOICEMAIL_CONFIDENCE
from core.classify.profile import parse_profile
from tests.classify.calls import call_saying
from tests.classify.fake_openai import FakeOpenAI
from tests.classify.test_openai_classifier import classifier_for

CLASSIFIER = EmbeddedClassifier(
    parse_profile('[[brand]]\nname = "Ridgeline Heating and Air"\ntrades = ["hvac", "plumbing"]\n')
)
MESSAGE = (
    "hi this is john miller our furnace stopped working last night and its freezing "
    "in here please call me back at 614 555 0101 thanks"
)


def a_call(*said: tuple[str, str], call_type: str | None = None, recording: bool = False):
    return call_saying(*said, call_type=call_type, name="John Miller", recording=recording)


def test_a_voicemail_never_transcribed_is_a_lead_for_someone_to_listen_to():
    verdict = CLASSIFIER.classify(a_call(call_type="Voicemail", recording=True))
    assert (verdict.lead, verdict.confidence) == (True, UNHEARD_VOICEMAIL_CONFIDENCE)
    assert verdict.reason == "Left a voicemail that was not transcribed: listen to it"
    assert "listen to the recording first" in verdict.summary
    assert verdict.summary.startswith("John Miller left a voicemail")


def test_a_voicemail_with_neither_words_nor_a_recording_is_not_a_lead():
    verdict = CLASSIFIER.classify(a_call(call_type="Voicemail", recording=False))
    assert not verdict.lead
    assert verdict.reason == "No transcript: nothing to judge the call by"


def test_a_call_never_transcribed_is_not_said_to_have_had_no_caller_speech():
    verdict = CLASSIFIER.classify(a_call(call_type="Service", recording=True))
    assert not verdict.lead
    assert verdict.reason == "No transcript: nothing to judge the call by"


def test_a_call_of_only_silence_still_says_no_caller_spoke():
    verdict = CLASSIFIER.classify(a_call(("speaker_0", "[silence]"), call_type="Voicemail"))
    assert not verdict.lead
    assert verdict.reason.startswith("No caller speech")


def test_a_message_recorded_without_its_greeting_is_read_as_a_voicemail_by_its_call_type():
    verdict = CLASSIFIER.classify(a_call(("speaker_0", MESSAGE), call_type="Voicemail"))
    assert verdict.lead, verdict.reason
    assert "left a voicemail" in verdict.reason
    assert "Not booked: left a voicemail" in verdict.summary


def test_call_types_that_mean_a_message_was_left_are_data_and_read_in_any_case():
    for kind in ("VOICEMAIL", "Voice Mail", "VM", "Buzón de voz"):
        verdict = CLASSIFIER.classify(a_call(("speaker_0", MESSAGE), call_type=kind))
        assert "left a voicemail" in verdict.reason, kind
    assert "voicemail" not in CLASSIFIER.classify(a_call(("speaker_0", MESSAGE))).reason


def test_a_caller_who_asks_to_be_called_back_is_not_said_to_mean_to_call_back():
    verdict = CLASSIFIER.classify(
        a_call(
            ("agent", "Ridgeline Heating and Air, this is Tina."),
            ("customer", "Hi, our AC quit this morning, how soon could somebody come?"),
            ("agent", "Let me look at the board, it's full today."),
            ("customer", "Okay, can you call me back when you know? My number is 614 555 0101."),
        )
    )
    assert verdict.lead, verdict.reason
    assert "asked to be called back" in verdict.reason
    assert "said they would call back" not in verdict.summary
    assert "they asked for this call" in verdict.summary


def test_a_caller_who_says_they_will_call_back_is_still_said_to():
    verdict = CLASSIFIER.classify(
        a_call(
            ("agent", "Ridgeline Heating and Air, this is Tina."),
            ("customer", "Hi, our AC quit this morning, what does a visit cost?"),
            ("agent", "The diagnostic is eighty nine, we could come Thursday."),
            ("customer", "Let me talk to my husband and I'll call you back."),
        )
    )
    assert verdict.lead, verdict.reason
    assert "said they would call back" in verdict.reason
    assert "asked to be called back" not in verdict.reason


def test_the_openai_classifier_sends_nothing_for_a_call_with_no_transcript(
    fake_openai: FakeOpenAI,
):
    unheard = a_call(call_type="Voicemail", recording=True)
    verdict = classifier_for(fake_openai).classify(unheard)
    assert verdict == CLASSIFIER.classify(unheard)
    assert fake_openai.requests == []
    assert not classifier_for(fake_openai).classify(replace(unheard, recording=False)).lead
    assert fake_openai.requests == []
