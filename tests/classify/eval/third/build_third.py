#!/usr/bin/env python3
"""Build and validate the third blind evaluation set (Hill Country Comfort & Plumbing).

Stdlib only.  ``python build_third.py`` rewrites ``calls.jsonl`` next to this file and prints
the stats; ``--check`` only verifies that ``calls.jsonl`` is valid and identical to a fresh
build (exit 1 if not).  Any problem in the dialogues or the output exits 2.

Dialogue files
--------------
``dialogues/<cue>.txt``, UTF-8, one file per cue.  Lines starting with ``#`` are comments and
blank lines are ignored.  The file starts with two header lines::

    @cue price_shopping      # must equal the file name and a cue of CUES below
    @lead true               # true or false, must agree with CUES

Each call starts with a line ``===``.  Then optional ``key: value`` lines, then the transcript:

    why:    required, one sentence a supervisor would accept
    type:   call_type (``-`` = null); absent = null
    csr:    login from CSRS; absent = picked by the seeded generator
    name:   customer_name (``-`` = null); absent = picked from CALLER_ID_POOL
    notes:  csr_notes (``-`` or absent = null)
    noise:  comma-separated tags from MANUAL_TAGS (asr, es, spk, notes, decoy)
    season: winter | spring | summer | fall (picks the month); absent = any month
    months: comma-separated month numbers, instead of season (e.g. ``11, 12``)
    day:    mon | tue | wed | thu | fri | sat | sun, when the transcript names today's weekday
    hours:  business (default, Mon-Sat 7:30-18:45) | morning | afternoon | after (evening)
            | weekend (Sat/Sun daytime)
    spk:    swap (agent<->customer) | customer (every segment "customer"); adds tag spk
    length: call length in seconds, only for a call with an empty transcript

Transcript lines::

    A: text          a segment spoken by the agent
    C: text          a segment spoken by the customer
    ~ 40             40 seconds of silence or hold before the next segment (or at the end)

``{agent}`` in a transcript line becomes the first name of the call's CSR.  Speaker labels are
written as spoken; the ``spk:`` key (or hand-written wrong labels plus the ``spk`` tag) is how
label errors get in.

Generation is deterministic: every call gets its own ``random.Random`` seeded with a string
built from SEED, the cue and the call's position in its file (string seeds hash with SHA-512,
so PYTHONHASHSEED does not matter).  Calls are then sorted by start time and numbered
THIRD-0001...; phones are dealt from a shuffled pool of ``(210|726) 555-01XX`` numbers.

As a guard against stock phrasing, any transcript line of six or more words that occurs
(case- and punctuation-insensitively) in two different calls is an error.  Lines containing
``{agent}`` (the scripted greetings) are exempt.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

SEED = "hill-country-third-2026"
YEAR = 2026
PER_CUE = 7
HERE = Path(__file__).resolve().parent
DIALOGUES = HERE / "dialogues"
OUTPUT = HERE / "calls.jsonl"

# The 24 cues of tests/classify/eval/README.md, with their label.
CUES: dict[str, bool] = {
    "price_shopping": True,
    "call_back_later": True,
    "dropped_call": True,
    "no_slot_offered": True,
    "no_availability": True,
    "emergency_same_day": True,
    "replacement_ballpark": True,
    "trying_competitor": True,
    "tech_no_show": True,
    "renter_authorised": True,
    "maintenance_interest": True,
    "estimate_send_info": True,
    "misdial_then_need": True,
    "wrong_number": False,
    "vendor_solicitor": False,
    "existing_appointment": False,
    "renter_no_authority": False,
    "spam_silence": False,
    "booked_on_call": False,
    "billing_warranty": False,
    "job_seeker": False,
    "outside_scope": False,
    "cancel_no_reschedule": False,
    "other_company_tech": False,
}

# Eight logins.  rguerra and tmolina take the Spanish calls (name them with csr:).
CSRS: dict[str, str] = {
    "rguerra": "Rosa",
    "tmolina": "Tomás",
    "aparker": "Ashley",
    "dkim": "Derek",
    "mwhitaker": "Marcus",
    "jholt": "Jolene",
    "sadeyemi": "Seun",
    "cpruitt": "Casey",
}

# Caller ID when a call has no name: key.  Half generic strings, half "SURNAME INITIAL".
CALLER_ID_GENERIC: tuple[str | None, ...] = (
    None,
    None,
    None,
    "WIRELESS CALLER",
    "WIRELESS CALLER",
    "SAN ANTONIO TX",
    "SAN ANTONIO TX",
    "SCHERTZ TX",
    "CONVERSE TX",
    "HELOTES TX",
    "NEW BRAUNFELS TX",
    "BOERNE TX",
    "LIVE OAK TX",
)
CALLER_ID_SURNAMES = (
    "SALINAS",
    "CANTU",
    "PFEIFFER",
    "ROBLES",
    "TIJERINA",
    "HUERTA",
    "BRANDT",
    "OYELARAN",
    "PHAM",
    "GALLEGOS",
    "MCALLISTER",
    "ZAMORA",
    "KLEIN",
    "RIVAS",
    "THIBODEAUX",
    "ESCOBEDO",
    "WAGNER",
    "LOZANO",
    "OKAFOR",
    "BENAVIDES",
    "STROUD",
    "CAVAZOS",
    "HOANG",
    "ELIZONDO",
    "FRANKLIN",
    "DUBOSE",
    "YBARRA",
    "NIEMANN",
    "QUINTANILLA",
    "ABERNATHY",
)

MANUAL_TAGS = ("asr", "es", "spk", "notes", "decoy")
AUTO_TAGS = ("inaudible", "short", "long")
TAG_ORDER = MANUAL_TAGS + AUTO_TAGS
SEASONS: dict[str, tuple[int, ...]] = {
    "winter": (1, 2, 12),
    "spring": (3, 4, 5),
    "summer": (6, 7, 8),
    "fall": (9, 10, 11),
}
HOURS: dict[str, tuple[int, int]] = {  # minute-of-day window for the start time
    "business": (7 * 60 + 30, 18 * 60 + 45),
    "morning": (7 * 60 + 30, 11 * 60 + 45),
    "afternoon": (12 * 60 + 15, 18 * 60 + 45),
    "after": (19 * 60, 22 * 60 + 45),
    "weekend": (8 * 60, 17 * 60),
}
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SPK_MODES = ("swap", "customer")
KEYS = (
    "why",
    "type",
    "csr",
    "name",
    "notes",
    "noise",
    "season",
    "months",
    "day",
    "hours",
    "spk",
    "length",
)
PHONE_RE = re.compile(r"^\((210|726)\) 555-01\d\d$")
ID_RE = re.compile(r"^THIRD-\d{4}$")


class BuildError(Exception):
    """A problem in the dialogue files or the generated output."""


@dataclass
class Dialogue:
    cue: str
    lead: bool
    index: int
    where: str
    fields: dict[str, str] = field(default_factory=dict)
    lines: list[tuple[str, str]] = field(default_factory=list)  # (kind, payload)


# --------------------------------------------------------------------------- parsing


def parse_file(path: Path) -> list[Dialogue]:
    cue: str | None = None
    lead: bool | None = None
    calls: list[Dialogue] = []
    current: Dialogue | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.rstrip()
        where = f"{path.name}:{number}"
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("@cue "):
            cue = line[5:].strip()
            continue
        if line.startswith("@lead "):
            value = line[6:].strip()
            if value not in ("true", "false"):
                raise BuildError(f"{where}: @lead must be true or false")
            lead = value == "true"
            continue
        if line == "===":
            if cue is None or lead is None:
                raise BuildError(f"{where}: @cue and @lead must come before the first call")
            current = Dialogue(cue=cue, lead=lead, index=len(calls) + 1, where=where)
            calls.append(current)
            continue
        if current is None:
            raise BuildError(f"{where}: text before the first ===")
        if line.startswith(("A: ", "C: ")):
            current.lines.append((line[0], line[3:].strip()))
        elif line.startswith("~ "):
            current.lines.append(("~", line[2:].strip()))
        else:
            key, sep, value = line.partition(":")
            if not sep or key not in KEYS:
                raise BuildError(f"{where}: not a known key or transcript line: {line!r}")
            if current.lines:
                raise BuildError(f"{where}: key {key!r} after the transcript started")
            if key in current.fields:
                raise BuildError(f"{where}: key {key!r} given twice")
            current.fields[key] = value.strip()
    if cue != path.stem:
        raise BuildError(f"{path.name}: @cue {cue!r} does not match the file name")
    if cue not in CUES:
        raise BuildError(f"{path.name}: unknown cue {cue!r}")
    if lead != CUES[cue]:
        raise BuildError(f"{path.name}: @lead disagrees with the cue table")
    for call in calls:
        check_dialogue(call)
    return calls


def check_dialogue(call: Dialogue) -> None:
    f = call.fields
    where = call.where
    if not f.get("why"):
        raise BuildError(f"{where}: missing why")
    if "csr" in f and f["csr"] not in CSRS:
        raise BuildError(f"{where}: unknown csr {f['csr']!r}")
    for tag in split_tags(f.get("noise", "")):
        if tag not in MANUAL_TAGS:
            raise BuildError(f"{where}: unknown noise tag {tag!r}")
    if f.get("season", "winter") not in SEASONS:
        raise BuildError(f"{where}: bad season")
    if f.get("hours", "business") not in HOURS:
        raise BuildError(f"{where}: bad hours")
    if f.get("day", "mon") not in DAYS:
        raise BuildError(f"{where}: bad day")
    if "season" in f and "months" in f:
        raise BuildError(f"{where}: give season or months, not both")
    try:
        months = [int(m) for m in split_tags(f.get("months", "1"))]
    except ValueError:
        months = []
    if not months or any(not 1 <= m <= 12 for m in months):
        raise BuildError(f"{where}: bad months")
    if f.get("hours") == "weekend" and f.get("day", "sat") not in ("sat", "sun"):
        raise BuildError(f"{where}: hours weekend needs day sat or sun")
    if f.get("spk", "swap") not in SPK_MODES:
        raise BuildError(f"{where}: bad spk")
    speech = [payload for kind, payload in call.lines if kind != "~"]
    if not speech and "length" not in f:
        raise BuildError(f"{where}: an empty transcript needs length:")
    if speech and "length" in f:
        raise BuildError(f"{where}: length: is only for empty transcripts")
    for kind, payload in call.lines:
        if kind == "~" and not re.fullmatch(r"\d+(\.\d+)?", payload):
            raise BuildError(f"{where}: bad silence {payload!r}")
        if kind != "~" and not payload:
            raise BuildError(f"{where}: empty transcript line")


def split_tags(value: str) -> list[str]:
    return [tag.strip() for tag in value.split(",") if tag.strip()]


def load_dialogues() -> list[Dialogue]:
    files = sorted(DIALOGUES.glob("*.txt"))
    calls: list[Dialogue] = []
    for path in files:
        calls.extend(parse_file(path))
    check_no_stock_lines(calls)
    return calls


def check_no_stock_lines(calls: list[Dialogue]) -> None:
    """A line of six or more words may not be reused verbatim in another call."""
    seen: dict[str, str] = {}
    for call in calls:
        for kind, payload in call.lines:
            if kind == "~" or "{agent}" in payload:  # scripted greetings may repeat
                continue
            key = " ".join(re.sub(r"[^\w{} ]+", " ", payload.lower()).split())
            if len(key.split()) < 6:
                continue
            if key in seen and seen[key] != call.where:
                raise BuildError(f"{call.where}: line reused from {seen[key]}: {payload!r}")
            seen[key] = call.where


# --------------------------------------------------------------------------- generation


def nth_sunday(year: int, month: int, n: int) -> date:
    first = date(year, month, 1)
    offset = (6 - first.weekday()) % 7
    return first + timedelta(days=offset + 7 * (n - 1))


def central_offset(local: datetime) -> timedelta:
    """US Central: CDT (-5) from the 2nd Sunday of March 02:00 to the 1st Sunday of Nov 02:00."""
    start = datetime.combine(nth_sunday(local.year, 3, 2), datetime.min.time()) + timedelta(hours=2)
    end = datetime.combine(nth_sunday(local.year, 11, 1), datetime.min.time()) + timedelta(hours=2)
    return timedelta(hours=-5) if start <= local < end else timedelta(hours=-6)


def to_iso(local: datetime) -> str:
    return local.replace(tzinfo=timezone(central_offset(local))).isoformat(timespec="seconds")


def pick_start(rng: random.Random, fields: dict[str, str]) -> datetime:
    if "months" in fields:
        months = tuple(int(m) for m in split_tags(fields["months"]))
    elif "season" in fields:
        months = SEASONS[fields["season"]]
    else:
        months = tuple(range(1, 13))
    hours = fields.get("hours", "business")
    wanted = DAYS.index(fields["day"]) if "day" in fields else None
    while True:
        month = rng.choice(months)
        day = rng.randint(1, 28 if month == 2 else 30)
        weekday = date(YEAR, month, day).weekday()
        if wanted is not None:
            if weekday == wanted:
                break
            continue
        if hours == "weekend":
            if weekday >= 5:
                break
            continue
        # Sundays never; Saturdays are a light day.
        if weekday == 6 or (weekday == 5 and rng.random() < 0.6):
            continue
        break
    low, high = HOURS[hours]
    minute_of_day = rng.randint(low, high)
    second = rng.randint(0, 59)
    return datetime(YEAR, month, day) + timedelta(minutes=minute_of_day, seconds=second)


def build_transcript(
    call: Dialogue, rng: random.Random, agent_name: str
) -> tuple[list[dict[str, object]], float]:
    """Timed segments and the call length in seconds."""
    rates = {"A": rng.uniform(2.2, 2.9), "C": rng.uniform(1.9, 2.8)}  # words per second
    mode = call.fields.get("spk")
    segments: list[dict[str, object]] = []
    t = round(rng.uniform(0.2, 1.6), 2)
    previous: str | None = None
    for kind, payload in call.lines:
        if kind == "~":
            t = round(t + float(payload), 2)
            continue
        if previous is not None:
            gap = rng.uniform(0.15, 0.55) if previous == kind else rng.uniform(0.25, 1.4)
            if rng.random() < 0.18:
                gap += rng.uniform(1.5, 5.0)  # someone thinks, types or looks something up
            t = round(t + gap, 2)
        text = payload.replace("{agent}", agent_name)
        words = len(text.split())
        duration = max(0.6, words / (rates[kind] * rng.uniform(0.88, 1.12)))
        # "..." inside a line is a pause in the middle of it (often the agent checking the board)
        duration += sum(rng.uniform(1.5, 6.0) for _ in range(text.count("...")))
        end = round(t + duration + rng.uniform(0.0, 0.35), 2)
        speaker = "agent" if kind == "A" else "customer"
        if mode == "swap":
            speaker = "customer" if speaker == "agent" else "agent"
        elif mode == "customer":
            speaker = "customer"
        segments.append({"speaker": speaker, "start": t, "end": end, "text": text})
        t = end
        previous = kind
    length = t + rng.uniform(0.4, 2.6) if segments else float(call.fields["length"])
    return segments, length


def noise_tags(call: Dialogue, segments: list[dict[str, object]]) -> list[str]:
    tags = set(split_tags(call.fields.get("noise", "")))
    if "spk" in call.fields:
        tags.add("spk")
    texts = [str(seg["text"]) for seg in segments]
    if any("[inaudible]" in text for text in texts):
        tags.add("inaudible")
    if len(segments) <= 3:
        tags.add("short")
    if len(segments) >= 12 or sum(len(text.split()) for text in texts) >= 200:
        tags.add("long")
    return [tag for tag in TAG_ORDER if tag in tags]


def caller_id(rng: random.Random) -> str | None:
    if rng.random() < 0.5:
        return rng.choice(CALLER_ID_GENERIC)
    return f"{rng.choice(CALLER_ID_SURNAMES)} {rng.choice('ABCDEGHJKLMNPRSTVW')}"


def optional(value: str | None) -> str | None:
    return None if value is None or value == "-" else value


def generate(calls: list[Dialogue]) -> list[dict[str, object]]:
    rows: list[tuple[datetime, str, dict[str, object]]] = []
    logins = sorted(CSRS)
    for call in calls:
        rng = random.Random(f"{SEED}|{call.cue}|{call.index}")
        f = call.fields
        csr = f.get("csr") or rng.choice(logins)
        name = optional(f["name"]) if "name" in f else caller_id(rng)
        start = pick_start(rng, f)
        segments, length = build_transcript(call, rng, CSRS[csr])
        end = start + timedelta(seconds=max(1, round(length + 0.5)))
        record: dict[str, object] = {
            "external_id": "",
            "direction": "inbound",
            "customer_phone": "",
            "customer_name": name,
            "started_at": to_iso(start),
            "ended_at": to_iso(end),
            "call_type": optional(f.get("type")),
            "csr": csr,
            "csr_notes": optional(f.get("notes")),
            "job_booked": False,
            "recording": None,
            "transcript": segments,
            "label": {
                "lead": call.lead,
                "cue": call.cue,
                "why": f["why"],
                "noise": noise_tags(call, segments),
            },
        }
        utc = start - central_offset(start)
        rows.append((utc, f"{call.cue}|{call.index:02d}", record))
    rows.sort(key=lambda row: (row[0], row[1]))
    phones = [f"({area}) 555-01{n:02d}" for area in ("210", "726") for n in range(100)]
    random.Random(f"{SEED}|phones").shuffle(phones)
    if len(rows) > len(phones):
        raise BuildError("more calls than fictional phone numbers")
    out: list[dict[str, object]] = []
    for number, (_, _, record) in enumerate(rows, start=1):
        record["external_id"] = f"THIRD-{number:04d}"
        record["customer_phone"] = phones[number - 1]
        out.append(record)
    return out


def render(records: list[dict[str, object]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def build_text() -> str:
    return render(generate(load_dialogues()))


# --------------------------------------------------------------------------- validation


def parse_time(value: object, what: str) -> datetime:
    if not isinstance(value, str):
        raise BuildError(f"{what}: not a string")
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise BuildError(f"{what}: no UTC offset")
    return parsed


def validate(text: str) -> list[dict[str, object]]:
    records: list[dict[str, object]] = []
    seen: set[str] = set()
    phones: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        where = f"line {number}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            raise BuildError(f"{where}: bad JSON: {exc}") from exc
        for key in ("external_id", "direction", "customer_phone", "started_at", "ended_at"):
            if not isinstance(rec.get(key), str) or not rec[key]:
                raise BuildError(f"{where}: missing {key}")
        if not isinstance(rec.get("job_booked"), bool):
            raise BuildError(f"{where}: job_booked must be a bool")
        ext = rec["external_id"]
        if not ID_RE.match(ext) or ext != f"THIRD-{number:04d}" or ext in seen:
            raise BuildError(f"{where}: bad or duplicate external_id {ext!r}")
        seen.add(ext)
        if rec["direction"] != "inbound" or rec["job_booked"] is not False:
            raise BuildError(f"{where}: must be inbound and unbooked")
        if rec.get("recording") is not None:
            raise BuildError(f"{where}: recording must be null")
        if not PHONE_RE.match(rec["customer_phone"]) or rec["customer_phone"] in phones:
            raise BuildError(f"{where}: bad or repeated phone")
        phones.add(rec["customer_phone"])
        if rec.get("csr") not in CSRS:
            raise BuildError(f"{where}: unknown csr")
        start = parse_time(rec["started_at"], f"{where} started_at")
        end = parse_time(rec["ended_at"], f"{where} ended_at")
        if end <= start:
            raise BuildError(f"{where}: ended_at not after started_at")
        if records and start < parse_time(records[-1]["started_at"], "previous"):
            raise BuildError(f"{where}: calls not in start order")
        check_segments(rec.get("transcript"), (end - start).total_seconds(), where)
        check_label(rec.get("label"), rec.get("transcript"), where)
        records.append(rec)
    counts = Counter(str(r["label"]["cue"]) for r in records)  # type: ignore[index]
    for cue in CUES:
        if counts[cue] != PER_CUE:
            raise BuildError(f"cue {cue}: {counts[cue]} calls, expected {PER_CUE}")
    if len(records) != PER_CUE * len(CUES):
        raise BuildError("unexpected number of calls")
    return records


def check_segments(segments: object, length: float, where: str) -> None:
    if not isinstance(segments, list):
        raise BuildError(f"{where}: transcript must be a list")
    last_end = 0.0
    for i, seg in enumerate(segments):
        if not isinstance(seg, dict) or set(seg) != {"speaker", "start", "end", "text"}:
            raise BuildError(f"{where} seg {i}: wrong keys")
        if seg["speaker"] not in ("agent", "customer"):
            raise BuildError(f"{where} seg {i}: bad speaker")
        if not isinstance(seg["text"], str) or not seg["text"] or "{" in seg["text"]:
            raise BuildError(f"{where} seg {i}: bad text")
        start, end = seg["start"], seg["end"]
        if not all(isinstance(v, (int, float)) for v in (start, end)):
            raise BuildError(f"{where} seg {i}: times must be numbers")
        if not (last_end <= start < end <= length):
            raise BuildError(f"{where} seg {i}: times out of order or outside the call")
        last_end = end


def check_label(label: object, segments: object, where: str) -> None:
    if not isinstance(label, dict) or set(label) != {"lead", "cue", "why", "noise"}:
        raise BuildError(f"{where}: bad label")
    if label["cue"] not in CUES or label["lead"] is not CUES[label["cue"]]:
        raise BuildError(f"{where}: label cue/lead mismatch")
    if not isinstance(label["why"], str) or not label["why"]:
        raise BuildError(f"{where}: empty why")
    noise = label["noise"]
    if not isinstance(noise, list) or any(tag not in TAG_ORDER for tag in noise):
        raise BuildError(f"{where}: bad noise tags")
    if noise != [tag for tag in TAG_ORDER if tag in noise]:
        raise BuildError(f"{where}: noise tags not in canonical order")
    assert isinstance(segments, list)
    inaudible = any("[inaudible]" in seg["text"] for seg in segments)
    if inaudible != ("inaudible" in noise):
        raise BuildError(f"{where}: inaudible tag disagrees with the text")


# --------------------------------------------------------------------------- report


def stats(records: list[dict[str, object]]) -> str:
    labels = [r["label"] for r in records]
    out = []
    leads = sum(1 for lab in labels if lab["lead"])  # type: ignore[index]
    out.append(f"{len(records)} calls: {leads} lead, {len(records) - leads} not a lead")
    by_cue = Counter(lab["cue"] for lab in labels)  # type: ignore[index]
    for cue, lead in CUES.items():
        out.append(f"  {'lead' if lead else 'not '} {cue:22} {by_cue[cue]}")
    out.append("noise tag        lead  not-lead")
    for tag in TAG_ORDER:
        yes = sum(1 for lab in labels if lab["lead"] and tag in lab["noise"])  # type: ignore[index]
        no = sum(1 for lab in labels if not lab["lead"] and tag in lab["noise"])  # type: ignore[index]
        out.append(f"  {tag:12} {yes:6} {no:9}")
    clean = sum(1 for lab in labels if not lab["noise"])  # type: ignore[index]
    out.append(f"calls with no noise tag: {clean}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify calls.jsonl is current")
    args = parser.parse_args(argv)
    try:
        text = build_text()
        if text != build_text():
            raise BuildError("two builds in one process differ")
        records = validate(text)
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print("calls.jsonl is stale or missing; run build_third.py", file=sys.stderr)
            return 1
        print(f"calls.jsonl is current ({len(records)} calls)")
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(stats(records))
    return 0


if __name__ == "__main__":
    sys.exit(main())
