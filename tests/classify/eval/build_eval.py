"""Build the blind, labelled evaluation set for the Second Chance Lead classifier.

The dialogues are hand-written in ``dialogues/<cue>.txt`` (one file per cue). This script
parses them, assigns external ids, fictional phone numbers, names, CSRs, timestamps, segment
timings and dev/heldout splits from a fixed random seed, validates the result, and writes
``calls.jsonl`` (one call per line in the SPEC call-export format plus a ``label`` field).

Usage (from the repository root or anywhere; stdlib only)::

    python tests/classify/eval/build_eval.py            # (re)write calls.jsonl, print stats
    python tests/classify/eval/build_eval.py --check    # exit 1 if calls.jsonl is stale

Dialogue file format (see README.md)::

    @cue price_shopping          file-level: cue name
    @lead true                   file-level: label for every call in the file
    @type Service                file-level: default call_type
    ---                          starts a call
    type: / tags: / season: / csr: / name: / notes: / why:   optional per-call fields
    A: agent text                a transcript segment labelled "agent"
    C: customer text             a transcript segment labelled "customer"

``name: -`` and ``notes: -`` mean null. ``{agent}`` in a line is replaced by the first name
of the assigned CSR. Speaker labels are written exactly as they should appear, so a line that
is plainly the agent's but written ``C:`` is a deliberately mislabelled segment.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

SEED = 20261120
HERE = Path(__file__).resolve().parent
DIALOGUE_DIR = HERE / "dialogues"
OUTPUT = HERE / "calls.jsonl"
MIN_PER_CUE = 6
SPLITS = ("dev", "heldout")

CSRS: dict[str, str] = {
    "jmartinez": "Jess",
    "kpatel": "Kiran",
    "dnguyen": "Danny",
    "sbrooks": "Sam",
    "tokafor": "Tomi",
    "lramirez": "Luz",
}
CALL_TYPES = {"Service", "Estimate", "Maintenance", "Existing Job", "Billing", "Other"}
HAND_TAGS = {"asr", "es", "spk", "notes"}
SEASON_MONTHS: dict[str, tuple[int, ...]] = {
    "winter": (1, 2, 12),
    "spring": (3, 4),
    "summer": (5, 6, 7, 8, 9),
    "fall": (10, 11),
    "any": tuple(range(1, 13)),
}


def _word_list(text: str) -> tuple[str, ...]:
    return tuple(text.split())


AREA_CODES = ("512", "512", "512", "737", "737", "254", "830")
FIRST_NAMES = _word_list(
    """Aaron Adriana Alicia Bianca Brent Carla Cody Connie Dale Deborah Eddie Elena Erin Felipe
    Gina Hector Holly Ivan Jackie Jesse Joanne Kurt Laura Leticia Mandy Mario Misty Neil Norma
    Owen Pam Raul Renee Ricky Sonia Terrence Trina Vanessa Wade Yolanda"""
)
LAST_NAMES = _word_list(
    """Acosta Baker Barrera Boone Cantu Chang Crawford Delgado Easley Flores Fuller Garrison
    Guerrero Hale Hendricks Ibarra Jacobs Keller Lam Luna McBride Medina Norwood Ortiz Parks
    Quinn Rangel Sauer Schultz Tran Underwood Vega Wallace Young Zamora"""
)
CALLER_ID_NAMES = ("WIRELESS CALLER", "AUSTIN TX", "ROUND ROCK TX", "UNKNOWN")

FIELD_RE = re.compile(r"^(type|tags|season|csr|name|notes|why):\s?(.*)$")
SEGMENT_RE = re.compile(r"^([AC]):\s?(.*)$")
DIRECTIVE_RE = re.compile(r"^@(cue|lead|type)\s+(.+)$")


class DialogueError(ValueError):
    """A dialogue file does not follow the format."""


@dataclass
class Dialogue:
    """One hand-written call, as parsed from a dialogue file."""

    cue: str
    lead: bool
    source: str
    default_type: str
    fields: dict[str, str] = field(default_factory=dict)
    segments: list[tuple[str, str]] = field(default_factory=list)

    @property
    def call_type(self) -> str:
        return self.fields.get("type", self.default_type)

    @property
    def tags(self) -> list[str]:
        raw = self.fields.get("tags", "")
        return [t.strip() for t in raw.split(",") if t.strip()]


def parse_file(path: Path) -> list[Dialogue]:
    """Parse one dialogue file into its calls."""
    directives: dict[str, str] = {}
    calls: list[Dialogue] = []
    current: Dialogue | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.rstrip()
        where = f"{path.name}:{number}"
        if not line or line.startswith("#"):
            continue
        if directive := DIRECTIVE_RE.match(line):
            if current is not None:
                raise DialogueError(f"{where}: directive after the first call")
            directives[directive.group(1)] = directive.group(2).strip()
            continue
        if line == "---":
            for key in ("cue", "lead", "type"):
                if key not in directives:
                    raise DialogueError(f"{where}: missing @{key} before the first call")
            if directives["lead"] not in ("true", "false"):
                raise DialogueError(f"{where}: @lead must be true or false")
            current = Dialogue(
                cue=directives["cue"],
                lead=directives["lead"] == "true",
                source=where,
                default_type=directives["type"],
            )
            calls.append(current)
            continue
        if current is None:
            raise DialogueError(f"{where}: text before the first ---")
        if segment := SEGMENT_RE.match(line):
            text = segment.group(2).strip()
            if not text:
                raise DialogueError(f"{where}: empty segment")
            current.segments.append(("agent" if segment.group(1) == "A" else "customer", text))
            continue
        if fld := FIELD_RE.match(line):
            if current.segments:
                raise DialogueError(f"{where}: field after the transcript started")
            key, value = fld.group(1), fld.group(2).strip()
            if key in current.fields:
                raise DialogueError(f"{where}: duplicate field {key!r}")
            current.fields[key] = value
            continue
        raise DialogueError(f"{where}: cannot parse line: {line!r}")
    return calls


def check_dialogue(dialogue: Dialogue) -> None:
    """Reject dialogues whose fields are missing or out of vocabulary."""
    where = dialogue.source
    if not dialogue.fields.get("why"):
        raise DialogueError(f"{where}: every call needs a why: sentence")
    if dialogue.call_type not in CALL_TYPES:
        raise DialogueError(f"{where}: unknown call type {dialogue.call_type!r}")
    unknown = set(dialogue.tags) - HAND_TAGS
    if unknown:
        raise DialogueError(f"{where}: unknown tags {sorted(unknown)}")
    if dialogue.fields.get("season", "any") not in SEASON_MONTHS:
        raise DialogueError(f"{where}: unknown season {dialogue.fields['season']!r}")
    if "csr" in dialogue.fields and dialogue.fields["csr"] not in CSRS:
        raise DialogueError(f"{where}: unknown csr {dialogue.fields['csr']!r}")


def load_dialogues(directory: Path = DIALOGUE_DIR) -> list[Dialogue]:
    dialogues: list[Dialogue] = []
    for path in sorted(directory.glob("*.txt")):
        file_calls = parse_file(path)
        if file_calls and file_calls[0].cue != path.stem:
            raise DialogueError(f"{path.name}: @cue {file_calls[0].cue!r} != file name")
        dialogues.extend(file_calls)
    for dialogue in dialogues:
        check_dialogue(dialogue)
    return dialogues


def assign_splits(dialogues: list[Dialogue], rng: random.Random) -> dict[int, str]:
    """Split each cue about 50/50; odd counts alternate which split gets the extra call."""
    by_cue: dict[str, list[int]] = {}
    for index, dialogue in enumerate(dialogues):
        by_cue.setdefault(dialogue.cue, []).append(index)
    splits: dict[int, str] = {}
    odd_seen = 0
    for cue in sorted(by_cue):
        members = by_cue[cue][:]
        rng.shuffle(members)
        first = 0
        if len(members) % 2:
            first = odd_seen % 2
            odd_seen += 1
        for position, index in enumerate(members):
            splits[index] = SPLITS[(position + first) % 2]
    return splits


def central_offset(moment: datetime) -> timedelta:
    """US Central time offset for 2026 (DST from 8 March to 1 November, 02:00 local)."""
    dst_start = datetime(2026, 3, 8, 2, 0)
    dst_end = datetime(2026, 11, 1, 2, 0)
    return timedelta(hours=-5) if dst_start <= moment < dst_end else timedelta(hours=-6)


def pick_start(dialogue: Dialogue, rng: random.Random) -> datetime:
    month = rng.choice(SEASON_MONTHS[dialogue.fields.get("season", "any")])
    day = rng.randint(1, 28)
    hour = rng.choices(range(7, 20), weights=[2, 5, 6, 6, 5, 4, 5, 5, 5, 4, 3, 2, 1])[0]
    local = datetime(2026, month, day, hour, rng.randint(0, 59), rng.randint(0, 59))
    return local.replace(tzinfo=timezone(central_offset(local)))


def time_segments(
    segments: list[tuple[str, str]], rng: random.Random
) -> tuple[list[dict[str, object]], float]:
    """Give each segment start/end seconds from its word count; return them and call length."""
    words_per_second = rng.uniform(2.3, 3.1)
    clock = round(rng.uniform(0.2, 1.5), 1)
    timed: list[dict[str, object]] = []
    last_end = 0.0
    for speaker, text in segments:
        words = len(text.split())
        duration = max(0.8, words / words_per_second + rng.uniform(-0.3, 0.6))
        start = clock
        end = round(start + duration, 1)
        timed.append({"speaker": speaker, "start": start, "end": end, "text": text})
        last_end = end
        clock = round(end + rng.uniform(0.15, 1.3), 1)
    length = last_end if timed else rng.uniform(4.0, 25.0)
    return timed, length + rng.uniform(0.8, 5.0)


def pick_name(dialogue: Dialogue, rng: random.Random) -> str | None:
    if "name" in dialogue.fields:
        value = dialogue.fields["name"]
        return None if value == "-" else value
    if rng.random() < 0.12:
        return rng.choice(CALLER_ID_NAMES)
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def noise_tags(dialogue: Dialogue) -> list[str]:
    tags = set(dialogue.tags)
    if len(dialogue.segments) <= 3:
        tags.add("short")
    words = sum(len(text.split()) for _, text in dialogue.segments)
    if len(dialogue.segments) >= 12 or words >= 200:
        tags.add("long")
    if any("[inaudible]" in text for _, text in dialogue.segments):
        tags.add("inaudible")
    return sorted(tags)


def build_records(dialogues: list[Dialogue], seed: int = SEED) -> list[dict[str, object]]:
    rng = random.Random(seed)
    splits = assign_splits(dialogues, rng)
    order = list(range(len(dialogues)))
    rng.shuffle(order)
    records: list[dict[str, object]] = []
    for number, index in enumerate(order, start=1):
        dialogue = dialogues[index]
        csr = dialogue.fields.get("csr") or rng.choice(sorted(CSRS))
        lines = [
            (speaker, text.replace("{agent}", CSRS[csr])) for speaker, text in dialogue.segments
        ]
        started = pick_start(dialogue, rng)
        transcript, length = time_segments(lines, rng)
        ended = started + timedelta(seconds=round(length))
        notes = dialogue.fields.get("notes")
        records.append(
            {
                "external_id": f"EVAL-{number:04d}",
                "direction": "inbound",
                "customer_phone": f"({rng.choice(AREA_CODES)}) 555-01{rng.randint(0, 99):02d}",
                "customer_name": pick_name(dialogue, rng),
                "started_at": started.isoformat(),
                "ended_at": ended.isoformat(),
                "call_type": dialogue.call_type,
                "csr": csr,
                "csr_notes": None if notes in (None, "-") else notes,
                "job_booked": False,
                "recording": None,
                "transcript": transcript,
                "label": {
                    "lead": dialogue.lead,
                    "cue": dialogue.cue,
                    "split": splits[index],
                    "why": dialogue.fields["why"],
                    "noise": noise_tags(dialogue),
                },
            }
        )
    return records


REQUIRED = ("external_id", "direction", "customer_phone", "started_at", "ended_at", "job_booked")


def validate(lines: list[str]) -> list[dict[str, object]]:
    """Re-read the serialised lines and check the set's invariants; raise on any problem."""
    problems: list[str] = []
    records: list[dict[str, object]] = []
    for number, line in enumerate(lines, start=1):
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"line {number}: not JSON ({exc})")
            continue
        records.append(record)
        missing = [key for key in REQUIRED if key not in record or record[key] is None]
        if missing:
            problems.append(f"line {number}: missing {missing}")
            continue
        if record["direction"] != "inbound" or record["job_booked"] is not False:
            problems.append(f"line {number}: must be an unbooked inbound call")
        if not re.fullmatch(r"\(\d{3}\) 555-01\d\d", str(record["customer_phone"])):
            problems.append(f"line {number}: phone not a fictional 555-01XX number")
        started = datetime.fromisoformat(str(record["started_at"]))
        ended = datetime.fromisoformat(str(record["ended_at"]))
        if started.tzinfo is None or ended.tzinfo is None or ended <= started:
            problems.append(f"line {number}: times need offsets and ended_at > started_at")
        previous_end = 0.0
        for seg_index, segment in enumerate(record["transcript"]):
            if segment["speaker"] not in ("agent", "customer") or not segment["text"]:
                problems.append(f"line {number}: bad segment {seg_index}")
            if not previous_end <= segment["start"] < segment["end"]:
                problems.append(f"line {number}: segment {seg_index} times out of order")
            previous_end = segment["end"]
        if previous_end > (ended - started).total_seconds():
            problems.append(f"line {number}: transcript longer than the call")
        if "{agent}" in json.dumps(record["transcript"]):
            problems.append(f"line {number}: unreplaced {{agent}}")
        label = record.get("label") or {}
        if not isinstance(label.get("lead"), bool) or label.get("split") not in SPLITS:
            problems.append(f"line {number}: bad label {label}")
        if not label.get("cue") or not label.get("why"):
            problems.append(f"line {number}: label needs cue and why")
    ids = [record.get("external_id") for record in records]
    if len(set(ids)) != len(ids):
        problems.append("duplicate external_id")
    cue_splits: dict[str, Counter[str]] = {}
    cue_lead: dict[str, set[bool]] = {}
    for record in records:
        label = record["label"]
        cue_splits.setdefault(label["cue"], Counter())[label["split"]] += 1
        cue_lead.setdefault(label["cue"], set()).add(label["lead"])
    for cue, counts in sorted(cue_splits.items()):
        if sum(counts.values()) < MIN_PER_CUE:
            problems.append(f"cue {cue}: only {sum(counts.values())} calls")
        if any(counts[split] == 0 for split in SPLITS):
            problems.append(f"cue {cue}: not present in both splits ({dict(counts)})")
        if len(cue_lead[cue]) != 1:
            problems.append(f"cue {cue}: mixes lead and not-lead labels")
    if problems:
        raise DialogueError("validation failed:\n  " + "\n  ".join(problems))
    return records


def summary(records: list[dict[str, object]]) -> str:
    """A plain-text table of counts per cue and split, and lead balance per split."""
    rows: dict[tuple[bool, str], Counter[str]] = {}
    noise: Counter[str] = Counter()
    for record in records:
        label = record["label"]
        rows.setdefault((label["lead"], label["cue"]), Counter())[label["split"]] += 1
        noise.update(label["noise"])
    out = [f"{'lead':<6}{'cue':<24}{'dev':>5}{'heldout':>9}{'total':>7}"]
    for (lead, cue), counts in sorted(rows.items(), key=lambda item: (not item[0][0], item[0][1])):
        total = counts["dev"] + counts["heldout"]
        out.append(f"{lead!s:<6}{cue:<24}{counts['dev']:>5}{counts['heldout']:>9}{total:>7}")
    out.append("")
    for split in SPLITS:
        in_split = [r["label"] for r in records if r["label"]["split"] == split]
        leads = sum(1 for label in in_split if label["lead"])
        not_leads = len(in_split) - leads
        out.append(f"{split:<8} {len(in_split):>4} calls: {leads} lead, {not_leads} not")
    out.append(f"total    {len(records):>4} calls")
    out.append("noise tags: " + ", ".join(f"{tag}={n}" for tag, n in sorted(noise.items())))
    return "\n".join(out)


def render(seed: int = SEED) -> list[str]:
    records = build_records(load_dialogues(), seed)
    return [json.dumps(record, ensure_ascii=False) for record in records]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="do not write; exit 1 if calls.jsonl is stale"
    )
    args = parser.parse_args(argv)
    try:
        lines = render()
        records = validate(lines)
    except DialogueError as exc:
        print(exc, file=sys.stderr)
        return 2
    text = "\n".join(lines) + "\n"
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT.name} is stale; run {Path(__file__).name}", file=sys.stderr)
            return 1
        validate(current.splitlines())
    else:
        OUTPUT.write_text(text, encoding="utf-8")
    print(summary(records))
    return 0


if __name__ == "__main__":
    sys.exit(main())
