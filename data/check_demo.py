"""Check the demo data set written by ``build_demo.py`` and print what it holds.

Run ``python data/check_demo.py``; it exits 1 and lists the problems if any rule
is broken: the call-export contract of ``SPEC.md``, plausible transcripts, the
``demo`` extra field (verdicts, evidence, scripted agent actions) and the
employees file.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

DEMO = Path(__file__).resolve().parent / "demo"
NOW = datetime.fromisoformat("2026-11-20T17:30:00-06:00")
COLD_AFTER = timedelta(hours=48)
AFTER_CALL_WORK = timedelta(minutes=5)
FIELDS = [
    "external_id",
    "direction",
    "customer_phone",
    "customer_name",
    "started_at",
    "ended_at",
    "call_type",
    "csr",
    "csr_notes",
    "job_booked",
    "recording",
    "transcript",
    "demo",
]
PHONE = re.compile(
    r"^(\((\d{3})\) 555-(01\d\d)|(\d{3})-555-(01\d\d)|\+1(\d{3})555(01\d\d)"
    r"|(\d{3})\.555\.(01\d\d)|(\d{3})555(01\d\d))$"
)
ACTIONS = {
    "callback",
    "dismiss:not-a-lead",
    "dismiss:not-following-up",
    "status:not-able-to-save",
    "note",
    "book",
}
CARD = "4111 1111 1111 1111"


def phone_key(phone: str) -> str | None:
    """The ten digits of a demo phone number, or None if it isn't one."""
    m = PHONE.match(phone)
    if not m:
        return None
    digits = re.sub(r"\D", "", phone)[-10:]
    return digits if digits[:3] in ("512", "737", "830") else None


def final_status(
    actions: list[dict[str, Any]], flagged_at: datetime, later_jobs: list[datetime]
) -> str:
    """The status a lead ends in: its scripted actions, plus the jobs that later booked calls
    of the same customer bring in on import (the importer applies the automatic statuses)."""
    events = [
        (flagged_at + timedelta(minutes=a["after_minutes"]) - AFTER_CALL_WORK, a["action"])
        for a in actions
    ]
    events += [(t, "book") for t in later_jobs]
    status = "new"
    called_back = False
    for _, kind in sorted(events):
        if status in ("booked-by-scl", "booked-elsewhere"):
            break  # the automatic statuses are final
        if kind == "callback":
            status, called_back = "callback-attempted", True
        elif kind == "book":
            status = "booked-by-scl" if called_back else "booked-elsewhere"
        elif kind.startswith(("dismiss:", "status:")):
            status = kind.split(":", 1)[1]
    if status == "new" and NOW - flagged_at > COLD_AFTER:
        return "new (cold)"
    return status


def later_jobs(calls: list[dict[str, Any]], lead: dict[str, Any]) -> list[datetime]:
    """When calls after the lead booked a job for the same customer."""
    ended = datetime.fromisoformat(lead["ended_at"])
    return [
        datetime.fromisoformat(c["ended_at"])
        for c in calls
        if c["job_booked"]
        and phone_key(c["customer_phone"]) == phone_key(lead["customer_phone"])
        and datetime.fromisoformat(c["ended_at"]) > ended
    ]


def check_transcript(where: str, segments: Any, duration: float, errors: list[str]) -> None:
    if not isinstance(segments, list) or not 6 <= len(segments) <= 18:
        errors.append(f"{where}: transcript must have 6-18 segments")
        return
    previous_end = 0.0
    for i, seg in enumerate(segments):
        if set(seg) != {"speaker", "start", "end", "text"}:
            errors.append(f"{where}: segment {i} keys {sorted(seg)}")
            continue
        if seg["speaker"] not in ("agent", "customer"):
            errors.append(f"{where}: segment {i} speaker {seg['speaker']!r}")
        if not (isinstance(seg["start"], float) and isinstance(seg["end"], float)):
            errors.append(f"{where}: segment {i} times must be floats")
        if not previous_end <= seg["start"] < seg["end"]:
            errors.append(f"{where}: segment {i} overlaps or runs backwards")
        words = len(seg["text"].split())
        rate = words / (seg["end"] - seg["start"])
        if words > 3 and not 1.5 <= rate <= 3.2:
            errors.append(f"{where}: segment {i} speaks {rate:.1f} words a second")
        previous_end = seg["end"]
    if previous_end > duration:
        errors.append(f"{where}: transcript ends after the call ({previous_end} > {duration})")


def check_calls(errors: list[str]) -> list[dict[str, Any]]:
    lines = (DEMO / "calls.jsonl").read_text(encoding="utf-8").splitlines()
    calls = []
    for n, line in enumerate(lines, start=1):
        try:
            call = json.loads(line)
        except json.JSONDecodeError as e:
            errors.append(f"line {n}: not JSON ({e})")
            continue
        if list(call) != FIELDS:
            errors.append(f"line {n}: fields {list(call)}")
            continue
        calls.append(call)
    window_start = NOW - timedelta(days=90)
    previous_start = None
    for n, call in enumerate(calls, start=1):
        where = f"line {n} ({call['external_id']})"
        if call["external_id"] != f"PBX-2026-{n:06d}":
            errors.append(f"{where}: external ids must run PBX-2026-000001 upwards")
        if call["direction"] not in ("inbound", "outbound"):
            errors.append(f"{where}: direction {call['direction']!r}")
        if phone_key(call["customer_phone"]) is None:
            errors.append(f"{where}: phone {call['customer_phone']!r} is not a demo number")
        start = datetime.fromisoformat(call["started_at"])
        end = datetime.fromisoformat(call["ended_at"])
        if not (call["started_at"].endswith("-06:00") and call["ended_at"].endswith("-06:00")):
            errors.append(f"{where}: times must carry the -06:00 offset")
        if not window_start <= start < end <= NOW:
            errors.append(f"{where}: times out of the 90-day window or reversed")
        duration = (end - start).total_seconds()
        if not 60 <= duration <= 480:
            errors.append(f"{where}: lasts {duration:.0f} s")
        if previous_start and start < previous_start:
            errors.append(f"{where}: lines must be sorted by started_at")
        previous_start = start
        if not isinstance(call["job_booked"], bool):
            errors.append(f"{where}: job_booked must be a bool")
        check_transcript(where, call["transcript"], duration, errors)
        check_demo_field(where, call, end, errors)
    if calls and max(datetime.fromisoformat(c["ended_at"]) for c in calls) != NOW:
        errors.append(f"the newest call must end at {NOW.isoformat()}")
    return calls


def check_demo_field(where: str, call: dict[str, Any], end: datetime, errors: list[str]) -> None:
    demo = call["demo"]
    if set(demo) != {"customer_address", "verdict", "actions"}:
        errors.append(f"{where}: demo keys {sorted(demo)}")
        return
    reviewable = call["direction"] == "inbound" and not call["job_booked"]
    verdict = demo["verdict"]
    if reviewable != (verdict is not None):
        errors.append(f"{where}: verdict must be set exactly for unbooked inbound calls")
    if verdict is not None:
        if set(verdict) != {"lead", "confidence", "reason", "evidence", "summary"}:
            errors.append(f"{where}: verdict keys {sorted(verdict)}")
            return
        if not 0.0 <= verdict["confidence"] <= 1.0:
            errors.append(f"{where}: confidence {verdict['confidence']}")
        evidence = verdict["evidence"]
        segments = call["transcript"]
        if not evidence or any(not 0 <= i < len(segments) for i in evidence):
            errors.append(f"{where}: evidence {evidence} out of range")
        elif any(segments[i]["speaker"] != "customer" for i in evidence):
            errors.append(f"{where}: evidence must point at customer lines")
    actions = demo["actions"]
    if actions and not (verdict and verdict["lead"]):
        errors.append(f"{where}: only flagged leads may have actions")
    last = 5
    for a in actions:
        keys = {"after_minutes", "actor", "action"} | ({"text"} if a["action"] == "note" else set())
        if set(a) != keys:
            errors.append(f"{where}: action keys {sorted(a)}")
        if a["action"] not in ACTIONS:
            errors.append(f"{where}: unknown action {a['action']!r}")
        minutes = a["after_minutes"]
        if not isinstance(minutes, int) or minutes <= last:
            errors.append(f"{where}: after_minutes must grow and exceed 5 ({minutes})")
        elif end + timedelta(minutes=minutes) >= NOW:
            errors.append(f"{where}: action at +{minutes} min is after now")
        last = minutes if isinstance(minutes, int) else last


def check_employees(calls: list[dict[str, Any]], errors: list[str]) -> dict[str, Any]:
    doc = json.loads((DEMO / "employees.json").read_text(encoding="utf-8"))
    roles = {r["name"]: r["permissions"] for r in doc["roles"]}
    logins = set()
    for e in doc["employees"]:
        keys = {
            "login",
            "name",
            "role",
            "is_admin",
            "phone",
            "email",
            "permission_override",
            "notify",
        }
        if set(e) != keys or e["role"] not in roles:
            errors.append(f"employee {e.get('login')}: bad shape or role")
        if e["phone"] is not None and phone_key(e["phone"]) is None:
            errors.append(f"employee {e['login']}: phone {e['phone']!r}")
        if not e["email"].endswith("@example.com"):
            errors.append(f"employee {e['login']}: email {e['email']!r}")
        logins.add(e["login"])
    for login in ("admin", "agent"):
        if login not in logins:
            errors.append(f"employee {login!r} missing")
    for call in calls:
        if call["csr"] not in logins:
            errors.append(f"{call['external_id']}: unknown csr {call['csr']!r}")
        for a in call["demo"]["actions"]:  # booking a job needs no SCL permission
            if a["action"] != "book" and not has_permission(doc, a["actor"]):
                errors.append(f"{call['external_id']}: {a['actor']} may not work leads")
    return doc


def has_permission(doc: dict[str, Any], login: str) -> bool:
    roles = {r["name"]: r["permissions"] for r in doc["roles"]}
    for e in doc["employees"]:
        if e["login"] == login:
            if e["is_admin"]:
                return True
            if e["permission_override"] is not None:
                return bool(e["permission_override"])
            return "View Second Chance Leads" in roles[e["role"]]
    return False


def report(calls: list[dict[str, Any]], doc: dict[str, Any]) -> None:
    inbound = [c for c in calls if c["direction"] == "inbound"]
    booked = [c for c in inbound if c["job_booked"]]
    verdicts = [c for c in inbound if c["demo"]["verdict"]]
    leads = [c for c in verdicts if c["demo"]["verdict"]["lead"]]
    print(
        f"calls {len(calls)}: inbound {len(inbound)}, "
        f"outbound {len(calls) - len(inbound)} "
        f"({sum(c['job_booked'] for c in calls if c['direction'] == 'outbound')} booked)"
    )
    print(
        f"inbound booked {len(booked)} ({len(booked) / len(inbound):.0%}), "
        f"unbooked {len(verdicts)}: leads {len(leads)}, not leads {len(verdicts) - len(leads)}"
    )
    statuses: Counter[str] = Counter()
    untouched = Counter()
    for c in leads:
        end = datetime.fromisoformat(c["ended_at"])
        jobs = later_jobs(calls, c)
        statuses[final_status(c["demo"]["actions"], end + AFTER_CALL_WORK, jobs)] += 1
        if jobs:
            print(f"  {c['external_id']}: the customer books again on a later call")
        if not c["demo"]["actions"] and not jobs:
            age = NOW - end
            untouched[
                "< 48 h"
                if age < timedelta(hours=48)
                else "48-72 h"
                if age < timedelta(hours=72)
                else "> 72 h"
            ] += 1
    print("leads by final status:", dict(sorted(statuses.items())))
    print("leads with actions:", sum(1 for c in leads if c["demo"]["actions"]))
    print("untouched leads by age:", dict(untouched))
    print("call types:", dict(Counter(c["call_type"] for c in calls).most_common()))
    print("csr:", dict(Counter(c["csr"] for c in calls).most_common()))
    print(
        "not-lead reasons:",
        dict(
            Counter(
                c["demo"]["verdict"]["reason"].split(":")[0].split(";")[0]
                for c in verdicts
                if not c["demo"]["verdict"]["lead"]
            ).most_common()
        ),
    )
    durations = [
        (
            datetime.fromisoformat(c["ended_at"]) - datetime.fromisoformat(c["started_at"])
        ).total_seconds()
        for c in calls
    ]
    segs = [len(c["transcript"]) for c in calls]
    print(
        f"durations {min(durations):.0f}-{max(durations):.0f} s, segments {min(segs)}-{max(segs)}"
    )
    phones = Counter(phone_key(c["customer_phone"]) for c in calls)
    repeats = sum(1 for n in phones.values() if n > 1)
    print(f"distinct phones {len(phones)}, phones that call more than once {repeats}")
    cards = [c["external_id"] for c in calls if any(CARD in s["text"] for s in c["transcript"])]
    print("card number read aloud in:", cards)
    print(
        "employees:",
        ", ".join(
            f"{e['login']}{'*' if has_permission(doc, e['login']) else ''}"
            for e in doc["employees"]
        ),
        "(* = may view leads)",
    )


def main() -> int:
    errors: list[str] = []
    calls = check_calls(errors)
    doc = check_employees(calls, errors)
    cards = [c for c in calls if any(CARD in s["text"] for s in c["transcript"])]
    if len(cards) != 1 or not cards[0]["job_booked"]:
        errors.append("exactly one booked call must read the test card number aloud")
    if errors:
        print("\n".join(errors))
        return 1
    report(calls, doc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
