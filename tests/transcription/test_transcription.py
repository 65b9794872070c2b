"""Transcription before review: the real `openai` SDK against a loopback server speaking
the audio-transcription protocol, on real speech made by espeak-ng."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from core.adapters.transcription import OpenAITranscriber
from core.adapters.transcription_config import TranscriptionConfig
from core.classify.embedded import EmbeddedClassifier
from core.db.models import Call, Event, Lead, TranscriptSegment
from core.db.transcription_models import Transcription
from core.services.recording_sources import allow_folder
from core.services.settings import set_setting
from core.services.transcription import transcript_origin, transcription_usage
from core.workers.review_worker import ReviewWorker
from tests.builders import add_call, seed_people
from tests.transcription.fake_whisper import OK, http_error, running_fake_whisper, stall
from tests.transcription.speech import Turn, need_espeak, phrase_book, record

TURNS = [
    Turn("agent", 0.3, "Thanks for calling Lone Star Comfort, this is Maria."),
    Turn("customer", 4.4, "Hi, my air conditioner stopped working and the house is hot."),
    Turn("agent", 9.0, "A technician can come tomorrow, the visit is eighty nine dollars."),
    Turn("customer", 13.6, "That is a lot. I will think about it and call you back."),
]
TOLERANCE = 0.08  # seconds: the server's 20 ms frames, and rounding


@pytest.fixture(autouse=True)
def _espeak() -> None:
    need_espeak()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "recordings"
    path.mkdir()
    return path


@pytest.fixture
def site(ctx, folder):
    """SCL and transcription on, the recordings folder allowed."""
    seed_people(ctx)
    set_setting(ctx, "admin", "enabled", "true")
    set_setting(ctx, "admin", "transcribe", "true")
    allow_folder(ctx, "admin", str(folder))
    return ctx


@pytest.fixture
def whisper():
    with running_fake_whisper(phrase_book(TURNS)) as server:
        yield server


def engine(server, **config) -> OpenAITranscriber:
    settings = {"base_url": server.base_url, "model": "faster-whisper-small", "max_retries": 0}
    return OpenAITranscriber(TranscriptionConfig(**{**settings, **config}), "sk-test")


def call_with_recording(ctx, reference: str) -> int:
    call_id = add_call(ctx)
    with ctx.db.transaction() as session:
        session.execute(update(Call).where(Call.id == call_id).values(recording=reference))
    return call_id


def stored_segments(ctx, call_id):
    with ctx.db.transaction() as session:
        return [
            (s.speaker, s.start, s.end, s.text)
            for s in session.scalars(
                select(TranscriptSegment)
                .where(TranscriptSegment.call_id == call_id)
                .order_by(TranscriptSegment.idx)
            )
        ]


def call_row(ctx, call_id):
    with ctx.db.transaction() as session:
        return session.get(Call, call_id)


def assert_segments_match(stored, spoken, speakers=None):
    assert len(stored) == len(spoken)
    for (speaker, start, end, text), said in zip(stored, spoken, strict=True):
        assert speaker == (speakers or {}).get(said.speaker, said.speaker)
        assert text == said.text
        assert start == pytest.approx(said.start, abs=TOLERANCE)
        assert end == pytest.approx(said.end, abs=TOLERANCE)


def test_a_due_stereo_call_is_transcribed_by_channel_with_speakers_and_times_then_flagged(
    site, folder, whisper
):
    spoken = record(folder / "stereo.wav", TURNS, stereo=True)
    call_id = call_with_recording(site, "stereo.wav")
    stats = ReviewWorker(site, EmbeddedClassifier(), transcriber=engine(whisper)).run_once()
    assert (stats.reviewed, stats.flagged, stats.delayed) == (1, 1, 0)
    assert [u.channels for u in whisper.uploads] == [1, 1]  # split: one channel per upload
    assert_segments_match(stored_segments(site, call_id), spoken)
    with site.db.transaction() as session:
        lead = session.scalars(select(Lead)).one()
        assert lead.call_id == call_id and lead.evidence


def test_a_mono_recording_is_transcribed_once_with_its_speakers_left_unknown(site, folder, whisper):
    spoken = record(folder / "mono.wav", TURNS, stereo=False)
    call_id = call_with_recording(site, "mono.wav")
    ReviewWorker(site, EmbeddedClassifier(), transcriber=engine(whisper)).run_once()
    assert len(whisper.uploads) == 1
    unknown = {"agent": "unknown", "customer": "unknown"}
    assert_segments_match(stored_segments(site, call_id), spoken, unknown)
    assert call_row(site, call_id).reviewed_at is not None


def test_the_upload_asks_for_verbose_json_with_segment_timestamps_and_the_model(
    site, folder, whisper
):
    record(folder / "mono.wav", TURNS, stereo=False)
    call_with_recording(site, "mono.wav")
    ReviewWorker(site, EmbeddedClassifier(), transcriber=engine(whisper)).run_once()
    fields = whisper.uploads[0].fields
    assert fields["model"] == ["faster-whisper-small"]
    assert fields["response_format"] == ["verbose_json"]
    assert fields["timestamp_granularities[]"] == ["segment"]
    assert whisper.uploads[0].authorization == "Bearer sk-test"


def test_a_machine_transcript_is_marked_with_engine_model_and_the_recordings_duration(
    site, folder, whisper
):
    spoken = record(folder / "stereo.wav", TURNS, stereo=True)
    call_id = call_with_recording(site, "stereo.wav")
    ReviewWorker(site, EmbeddedClassifier(), transcriber=engine(whisper)).run_once()
    origin = transcript_origin(site, call_id)
    assert origin is not None
    host = whisper.base_url.split("//")[1].removesuffix("/v1")
    assert (origin.engine, origin.model, origin.channels) == (
        f"openai-compatible {host}",
        "faster-whisper-small",
        2,
    )
    assert origin.recording_seconds == pytest.approx(spoken[-1].end + 0.5, abs=0.05)


def test_the_minutes_transcribed_this_month_count_each_channel_sent(site, folder, whisper):
    spoken = record(folder / "stereo.wav", TURNS, stereo=True)
    record(folder / "mono.wav", TURNS, stereo=False)
    call_with_recording(site, "stereo.wav")
    call_with_recording(site, "mono.wav")
    ReviewWorker(site, EmbeddedClassifier(), transcriber=engine(whisper)).run_once()
    usage = transcription_usage(site)
    length = spoken[-1].end + 0.5
    assert usage.recordings_this_month == 2
    assert usage.minutes_this_month == pytest.approx(3 * length / 60, abs=0.01)


@pytest.mark.parametrize("status", [429, 500, 503])
def test_a_server_error_leaves_the_call_due_as_transcription_delayed_and_it_is_retried(
    site, folder, whisper, clock, status
):
    record(folder / "stereo.wav", TURNS, stereo=True)
    call_id = call_with_recording(site, "stereo.wav")
    whisper.script(http_error(status))
    worker = ReviewWorker(site, EmbeddedClassifier(), transcriber=engine(whisper, max_retries=1))
    stats = worker.run_once()
    assert (stats.reviewed, stats.delayed) == (0, 1)
    assert len(whisper.uploads) == 2  # the SDK's own retry, then the call waits
    call = call_row(site, call_id)
    assert call.reviewed_at is None
    host = whisper.base_url.split("//")[1].removesuffix("/v1")
    assert call.review_error.startswith(f"transcription delayed: {host} answered HTTP {status}")
    assert transcription_usage(site).delayed == 1
    whisper.script(OK)  # the server is well again
    clock.advance(timedelta(seconds=30))
    assert worker.run_once().reviewed == 0  # not before the pause is over
    clock.advance(timedelta(minutes=2))
    stats = worker.run_once()
    assert (stats.reviewed, stats.flagged) == (1, 1)
    assert len(stored_segments(site, call_id)) == 4


def test_a_server_that_does_not_answer_in_time_leaves_the_call_transcription_delayed(
    site, folder, whisper
):
    record(folder / "mono.wav", TURNS, stereo=False)
    call_id = call_with_recording(site, "mono.wav")
    whisper.script(stall(30))
    transcriber = engine(whisper, timeout_seconds=0.5)
    stats = ReviewWorker(site, EmbeddedClassifier(), transcriber=transcriber).run_once()
    assert stats.delayed == 1
    call = call_row(site, call_id)
    assert call.reviewed_at is None
    assert "within 0.5 s" in call.review_error


def test_a_recording_that_cannot_be_decoded_is_reported_once_and_reviewed_without_transcript(
    site, folder, whisper, clock
):
    (folder / "broken.wav").write_bytes(b"RIFF this is not audio at all")
    call_id = call_with_recording(site, "broken.wav")
    stats = ReviewWorker(site, EmbeddedClassifier(), transcriber=engine(whisper)).run_once()
    assert (stats.reviewed, stats.delayed) == (1, 0)
    assert whisper.uploads == []
    with site.db.transaction() as session:
        row = session.get(Transcription, call_id)
        assert row.state == "unreadable" and "broken.wav" in row.error
        reports = session.scalars(select(Event).where(Event.kind == "transcription.unreadable"))
        assert [e.payload["call"] for e in reports] == [call_row(site, call_id).external_id]
    assert stored_segments(site, call_id) == []


def test_a_recording_outside_the_allowed_folders_is_never_read_nor_sent(site, tmp_path, whisper):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    record(elsewhere / "secret.wav", TURNS, stereo=False)
    call_id = call_with_recording(site, str(elsewhere / "secret.wav"))
    ReviewWorker(site, EmbeddedClassifier(), transcriber=engine(whisper)).run_once()
    assert whisper.uploads == []
    with site.db.transaction() as session:
        assert "outside the recordings folders" in session.get(Transcription, call_id).error


def test_no_recording_leaves_the_host_while_transcription_is_off(site, folder, whisper):
    set_setting(site, "admin", "transcribe", "false")
    record(folder / "mono.wav", TURNS, stereo=False)
    call_id = call_with_recording(site, "mono.wav")
    stats = ReviewWorker(site, EmbeddedClassifier(), transcriber=engine(whisper)).run_once()
    assert stats.reviewed == 1
    assert whisper.uploads == []
    assert stored_segments(site, call_id) == []


def test_a_silent_channel_is_not_sent(site, folder, whisper):
    agent_only = [turn for turn in TURNS if turn.speaker == "agent"]
    spoken = record(folder / "one-sided.wav", agent_only, stereo=True)
    call_id = call_with_recording(site, "one-sided.wav")
    ReviewWorker(site, EmbeddedClassifier(), transcriber=engine(whisper)).run_once()
    assert len(whisper.uploads) == 1
    assert_segments_match(stored_segments(site, call_id), spoken)


def test_after_the_server_fails_on_one_call_the_rest_of_the_batch_waits_unsent(
    site, folder, whisper
):
    record(folder / "mono.wav", TURNS, stereo=False)
    calls = [call_with_recording(site, "mono.wav") for _ in range(3)]
    whisper.script(http_error(503))
    stats = ReviewWorker(site, EmbeddedClassifier(), transcriber=engine(whisper)).run_once()
    assert (stats.reviewed, stats.delayed) == (0, 3)
    assert len(whisper.uploads) == 1
    for call_id in calls:
        assert call_row(site, call_id).review_error.startswith("transcription delayed: ")


class _Broken:
    engine = "broken"
    model = "none"

    def transcribe(self, audio: bytes, filename: str):
        raise RuntimeError("a bug in the engine")


def test_a_bug_while_transcribing_leaves_the_call_due_rather_than_stopping_the_worker(site, folder):
    record(folder / "mono.wav", TURNS, stereo=False)
    call_id = call_with_recording(site, "mono.wav")
    stats = ReviewWorker(site, EmbeddedClassifier(), transcriber=_Broken()).run_once()
    assert stats.delayed == 1
    call = call_row(site, call_id)
    assert call.reviewed_at is None and "a bug in the engine" in call.review_error


def test_the_transcription_secret_is_the_key_sent_before_the_openai_one(
    site, folder, whisper, isolated_keyring
):
    from core.adapters.secrets import set_secret

    set_secret("openai", "sk-classifier")
    set_secret("transcription", "sk-speech")
    record(folder / "mono.wav", TURNS, stereo=False)
    call_with_recording(site, "mono.wav")
    transcriber = OpenAITranscriber.from_config(TranscriptionConfig(base_url=whisper.base_url))
    ReviewWorker(site, EmbeddedClassifier(), transcriber=transcriber).run_once()
    assert [u.authorization for u in whisper.uploads] == ["Bearer sk-speech"]


def test_the_status_shows_the_minutes_transcribed_this_month_and_each_recordings_length(
    site, folder, whisper
):
    from core.services.status import backlog_status

    spoken = record(folder / "stereo.wav", TURNS, stereo=True)
    call_id = call_with_recording(site, "stereo.wav")
    ReviewWorker(site, EmbeddedClassifier(), transcriber=engine(whisper)).run_once()
    found = backlog_status(site).as_json()
    length = spoken[-1].end + 0.5
    assert found["transcribed_minutes_this_month"] == pytest.approx(2 * length / 60, abs=0.01)
    [(external_id, seconds)] = found["recent_recordings"]
    assert external_id == call_row(site, call_id).external_id
    assert seconds == pytest.approx(length, abs=0.05)


def test_the_worker_uses_the_server_and_model_named_in_the_config_file(site, folder, whisper):
    import os

    config = Path(os.environ["SCL_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(
        f'[transcription]\nbase_url = "{whisper.base_url}"\n'
        'model = "Systran/faster-whisper-small"\nagent_channel = 1\n'
    )
    spoken = record(folder / "stereo.wav", TURNS, stereo=True)
    call_id = call_with_recording(site, "stereo.wav")
    ReviewWorker(site, EmbeddedClassifier()).run_once()
    assert {u.fields["model"][0] for u in whisper.uploads} == {"Systran/faster-whisper-small"}
    swapped = {"agent": "customer", "customer": "agent"}  # the agent is on the right here
    assert_segments_match(stored_segments(site, call_id), spoken, swapped)


@pytest.fixture
def recordings_host(site, monkeypatch, tmp_path):
    """A loopback host serving recordings, on the allow-list (http, private)."""
    from core.services.recording_sources import allow_host
    from tests.services.recording_server import RecordingServer

    for proxy in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(proxy, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    server = RecordingServer()
    allow_host(site, "admin", f"127.0.0.1:{server.port}", http=True, private=True)
    yield server
    server.close()


def test_a_recording_url_on_an_allowed_host_is_downloaded_and_transcribed(
    site, folder, whisper, recordings_host
):
    spoken = record(folder / "stereo.wav", TURNS, stereo=True)
    recordings_host.audio = (folder / "stereo.wav").read_bytes()
    call_id = call_with_recording(site, f"{recordings_host.base}/calls/stereo.wav")
    ReviewWorker(site, EmbeddedClassifier(), transcriber=engine(whisper)).run_once()
    assert recordings_host.requests == ["/calls/stereo.wav"]
    assert_segments_match(stored_segments(site, call_id), spoken)


def test_a_recording_url_on_a_host_not_allowed_is_never_requested(site, whisper, recordings_host):
    from tests.services.recording_server import RecordingServer

    stranger = RecordingServer()
    try:
        call_id = call_with_recording(site, f"{stranger.base}/calls/stereo.wav")
        stats = ReviewWorker(site, EmbeddedClassifier(), transcriber=engine(whisper)).run_once()
        assert stats.reviewed == 1
        assert stranger.requests == [] and whisper.uploads == []
        with site.db.transaction() as session:
            assert "not on the recordings allow-list" in session.get(Transcription, call_id).error
    finally:
        stranger.close()


def test_a_recording_not_yet_on_its_host_is_tried_again_later(
    site, whisper, recordings_host, clock
):
    call_id = call_with_recording(site, f"{recordings_host.base}/missing/stereo.wav")
    worker = ReviewWorker(site, EmbeddedClassifier(), transcriber=engine(whisper))
    assert worker.run_once().delayed == 1
    assert "answered 404" in call_row(site, call_id).review_error
    clock.advance(timedelta(minutes=5))
    assert worker.run_once().delayed == 1
    assert recordings_host.requests == ["/missing/stereo.wav"] * 2


def test_a_recording_url_that_keeps_failing_is_reported_after_five_tries_and_reviewed(
    site, whisper, recordings_host, clock
):
    call_id = call_with_recording(site, f"{recordings_host.base}/missing/stereo.wav")
    worker = ReviewWorker(site, EmbeddedClassifier(), transcriber=engine(whisper))
    for _ in range(4):
        assert worker.run_once().delayed == 1
        clock.advance(timedelta(hours=1))
    assert worker.run_once().reviewed == 1
    assert len(recordings_host.requests) == 5
    with site.db.transaction() as session:
        assert "answered 404" in session.get(Transcription, call_id).error
        assert session.get(Transcription, call_id).state == "unreadable"
