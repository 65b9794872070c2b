"""The HTTP intake on loopback, driven by a real HTTP client (httpx2)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from sqlalchemy import func, select

from core.adapters.intake_http import IntakeOptions, make_app, running
from core.db.models import Call, TranscriptSegment

EXAMPLES = Path(__file__).parents[2] / "data" / "examples"
TOKEN = "intake-token-for-tests"


def example(external_id: str = "WEB-1", **changes: object) -> dict:
    row = json.loads((EXAMPLES / "calls.jsonl").read_text(encoding="utf-8").splitlines()[0])
    row.update(external_id=external_id, csr=None, **changes)  # no "unknown CSR" warning
    return row


def stored(ctx) -> tuple[int, int]:
    with ctx.db.transaction() as session:
        return (
            session.scalar(select(func.count()).select_from(Call)),
            session.scalar(select(func.count()).select_from(TranscriptSegment)),
        )


@pytest.fixture
def intake(ctx) -> Iterator[httpx2.Client]:
    with (
        running(make_app(ctx, IntakeOptions(TOKEN))) as url,
        httpx2.Client(base_url=url, timeout=30) as client,
    ):
        client.headers["Authorization"] = f"Bearer {TOKEN}"
        yield client


def test_a_call_without_the_token_or_with_a_wrong_one_is_refused(ctx, intake):
    for header in ({}, {"Authorization": "Bearer nope"}, {"Authorization": TOKEN}):
        answer = httpx2.post(
            str(intake.base_url).rstrip("/") + "/calls", json=example(), headers=header, timeout=60
        )
        assert answer.status_code == 401
        assert "bearer token" in answer.json()["error"]
    assert stored(ctx) == (0, 0)


def test_a_call_with_the_token_is_taken_with_202(ctx, intake):
    answer = intake.post("/calls", json=example())
    assert answer.status_code == 202
    assert answer.json() == {"received": 1, "new": 1, "already_known": 0}
    assert stored(ctx) == (1, 4)


def test_a_call_with_a_bad_segment_is_refused_with_422_naming_the_field(ctx, intake):
    call = example()
    call["transcript"][3]["text"] = 42
    answer = intake.post("/calls", json=call)
    assert answer.status_code == 422
    assert answer.json()["error"] == "transcript[3].text: must be text, not a number"
    assert stored(ctx) == (0, 0)


def test_a_batch_takes_its_good_calls_and_names_each_bad_one_by_its_place(ctx, intake):
    bad = example("WEB-2")
    bad["transcript"][1]["text"] = "x" * 20_001
    answer = intake.post("/calls", json=[example("WEB-1"), bad, example("WEB-3", direction="up")])
    assert answer.status_code == 422
    refused = [r["error"] for r in answer.json()["refused"]]
    assert refused == [
        "[1].transcript[1].text: is 20,001 characters; the most is 20,000",
        "[2].direction: must be inbound or outbound, not 'up'",
    ]
    assert answer.json()["new"] == 1 and stored(ctx)[0] == 1


def test_the_same_call_posted_twice_is_stored_once(ctx, intake):
    first = intake.post("/calls", json=example())
    again = intake.post("/calls", json=example())
    assert (first.status_code, again.status_code) == (202, 202)
    assert again.json() == {"received": 1, "new": 0, "already_known": 1}
    assert stored(ctx) == (1, 4)


def test_json_lines_are_a_batch_named_by_line(ctx, intake):
    lines = [json.dumps(example("NL-1")), json.dumps(example("NL-2", job_booked="maybe"))]
    answer = intake.post(
        "/calls",
        content="\n".join(lines).encode(),
        headers={"Content-Type": "application/x-ndjson"},
    )
    assert answer.status_code == 422
    assert answer.json()["error"] == "line 2, job_booked: must be true or false, not 'maybe'"
    assert stored(ctx)[0] == 1


def test_a_body_that_is_not_json_is_a_400_with_one_line(ctx, intake):
    answer = intake.post(
        "/calls", content=b'{"external_id": ', headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 400
    assert answer.json()["error"].startswith("not valid JSON: Expecting value at line 1")


def test_the_same_call_posted_by_eight_clients_at_once_is_stored_once(ctx, intake):
    from concurrent.futures import ThreadPoolExecutor

    url = str(intake.base_url).rstrip("/") + "/calls"
    headers = {"Authorization": f"Bearer {TOKEN}"}

    def post(_: int) -> httpx2.Response:
        # Eight writers at once on a loaded CI: far past httpx's 5 s default.
        body = [example("SAME-1"), example("SAME-2")]
        return httpx2.post(url, json=body, headers=headers, timeout=60)

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(post, range(8)))
    assert [a.status_code for a in answers] == [202] * 8
    assert sum(a.json()["new"] for a in answers) == 2
    assert stored(ctx) == (2, 8)


def test_requests_stored_together_are_each_told_of_their_own_calls(ctx, intake):
    from concurrent.futures import ThreadPoolExecutor

    url = str(intake.base_url).rstrip("/") + "/calls"
    headers = {"Authorization": f"Bearer {TOKEN}"}

    def post(n: int) -> httpx2.Response:
        second = example(f"T-{n}-b", direction="up" if n % 2 else "inbound")
        return httpx2.post(url, json=[example(f"T-{n}-a"), second], headers=headers, timeout=60)

    with ThreadPoolExecutor(12) as pool:
        answers = list(pool.map(post, range(12)))
    for n, answer in enumerate(answers):
        if n % 2:
            assert answer.status_code == 422
            assert answer.json()["error"] == "[1].direction: must be inbound or outbound, not 'up'"
            assert (answer.json()["new"], answer.json()["already_known"]) == (1, 0)
        else:
            assert answer.status_code == 202
            assert answer.json() == {"received": 2, "new": 2, "already_known": 0}
    assert stored(ctx)[0] == 18
