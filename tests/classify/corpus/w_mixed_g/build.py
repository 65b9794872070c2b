#!/usr/bin/env python3
"""Build calls.jsonl from src/batch_*.txt (writer w_mixed_g). Stdlib only, deterministic.

Source format, one call per block:
  @ <num> <brandkey> <+|-> <spk> <L|N> <kind> <h|-> [at=YYYY-MM-DDTHH:MM] [style=asr]
  (style=asr renders a cleanly written call as raw speech recognition: lowercase, no punctuation)
  m <customer name>|<call type>|<csr>|<csr notes>      (empty field -> null)
  ? <why: one sentence>
  A: agent line     C: customer line     S: system line (IVR, voicemail greeting, [music] ...)
'+' = export carries the brand field, '-' = it does not.
spk: ac agent/customer, ca swapped, 01 spk_0=agent, 10 spk_1=agent, cc all customer,
     caller agent/caller, unk all unknown.
Lines starting with '#' are comments.
"""
import glob, json, os, random, re, sys, tomllib
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
WRITER = "w_mixed_g"
PREFIX = "WMG"
SEED = 20261203

BRANDS = {  # key: (name, utc offset hours, area codes)
    "pest": ("Ridgeback Pest Solutions", -6, ["918", "539"]),
    "roof": ("Summit Crest Roofing", -7, ["303", "720"]),
    "garage": ("Liftline Garage Doors", -7, ["480", "602"]),
    "elec": ("Brightwire Electric & Handyman", -5, ["919", "984"]),
    "appl": ("Maple & Main Appliance Repair", -5, ["614", "380"]),
    "hvac": ("Tidewater Air & Plumbing", -5, ["757"]),
}
SPK = {
    "ac": ("agent", "customer", "unknown"),
    "ca": ("customer", "agent", "unknown"),
    "01": ("spk_0", "spk_1", "unknown"),
    "10": ("spk_1", "spk_0", "unknown"),
    "cc": ("customer", "customer", "customer"),
    "caller": ("agent", "caller", "unknown"),
    "unk": ("unknown", "unknown", "unknown"),
}
CALL_TYPES = None  # free text


def fail(msg):
    print("ERROR:", msg, file=sys.stderr)
    sys.exit(2)


def parse(path):
    calls, cur = [], None
    with open(path, encoding="utf-8") as f:
        for ln, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            where = f"{os.path.basename(path)}:{ln}"
            if not line.strip() or line.startswith("#"):
                continue
            if line.startswith("@ "):
                parts = line[2:].split()
                if len(parts) < 7:
                    fail(f"{where}: header needs 7 fields")
                num, key, bf, spk, ll, kind, hard = parts[:7]
                extra = dict(p.split("=", 1) for p in parts[7:])
                cur = {"where": where, "num": int(num), "key": key, "bf": bf, "spk": spk,
                       "lead": ll, "kind": kind, "hard": hard, "at": extra.get("at"),
                       "style": extra.get("style"), "meta": None, "why": None, "segs": []}
                calls.append(cur)
                continue
            if cur is None:
                fail(f"{where}: text before first header")
            if line.startswith("m "):
                cur["meta"] = [x.strip() for x in line[2:].split("|")]
            elif line.startswith("? "):
                cur["why"] = line[2:].strip()
            elif len(line) > 2 and line[0] in "ACS" and line[1] == ":":
                cur["segs"].append((line[0], line[2:].strip()))
            elif cur["segs"] and line.startswith("  "):
                r, t = cur["segs"][-1]
                cur["segs"][-1] = (r, t + " " + line.strip())
            else:
                fail(f"{where}: cannot parse line: {line[:60]}")
    return calls


def asrify(text):
    """Render a clean line as raw speech recognition: lowercase, no punctuation."""
    if re.fullmatch(r"\[[a-z ]+\]", text):
        return text
    t = text.replace("&", " and ").replace("—", " ").replace("–", " ")
    t = re.sub(r"(?<=\w)-(?=\w)", " ", t)
    t = re.sub(r"[.,?!;:\"()]", " ", t).replace("-", " ")
    t = re.sub(r"\s+", " ", t).strip().lower()
    return t or text


def duration(text, rng):
    if re.fullmatch(r"\[[a-z ]+\]", text):
        return rng.uniform(2.0, 9.0)
    words = len(text.split())
    return max(0.8, words / rng.uniform(2.3, 3.1)) + rng.uniform(0.1, 0.6)


def build_call(c, rng, names):
    if c["key"] not in BRANDS:
        fail(f"{c['where']}: unknown brand key {c['key']}")
    bname, off, codes = BRANDS[c["key"]]
    if bname not in names:
        fail(f"{c['where']}: brand {bname} not in profile.toml")
    if c["bf"] not in "+-" or c["spk"] not in SPK or c["lead"] not in ("L", "N") or c["hard"] not in ("h", "-"):
        fail(f"{c['where']}: bad header flags")
    if not re.fullmatch(r"[a-z][a-z0-9_]*", c["kind"]):
        fail(f"{c['where']}: kind must be snake_case")
    if not c["meta"] or len(c["meta"]) != 4:
        fail(f"{c['where']}: meta line needs 4 fields")
    if not c["why"]:
        fail(f"{c['where']}: why missing")
    if not c["segs"]:
        fail(f"{c['where']}: no segments")
    tz = timezone(timedelta(hours=off))
    if c["at"]:
        start = datetime.strptime(c["at"], "%Y-%m-%dT%H:%M").replace(tzinfo=tz)
        start += timedelta(seconds=rng.randint(0, 59))
    else:
        day = rng.randint(2, 30)
        start = datetime(2026, 11, day, rng.randint(8, 17), rng.randint(0, 59), rng.randint(0, 59), tzinfo=tz)
    roles = SPK[c["spk"]]
    t = round(rng.uniform(0.0, 1.2), 1)
    segs = []
    for r, text in c["segs"]:
        if c["style"] == "asr":
            text = asrify(text)
        d = duration(text, rng)
        s = round(t, 1)
        e = round(t + d, 1)
        if e <= s:
            e = s + 0.5
        spk = {"A": roles[0], "C": roles[1], "S": roles[2]}[r]
        segs.append({"speaker": spk, "start": s, "end": e, "text": text})
        t = e + rng.uniform(0.15, 1.3)
    total = segs[-1]["end"] + rng.uniform(0.5, 3.0)
    end = start + timedelta(seconds=round(total))
    name, ctype, csr, notes = [x if x else None for x in c["meta"]]
    phone = f"({rng.choice(codes)}) 555-01{rng.randint(0, 99):02d}"
    obj = {"external_id": f"{PREFIX}-{c['num']:04d}", "direction": "inbound"}
    if c["bf"] == "+":
        obj["brand"] = bname
    obj.update({
        "customer_phone": phone, "customer_name": name,
        "started_at": start.isoformat(), "ended_at": end.isoformat(),
        "call_type": ctype, "csr": csr, "csr_notes": notes,
        "job_booked": False, "recording": None, "transcript": segs,
        "label": {"lead": c["lead"] == "L", "brand": bname, "kind": c["kind"],
                  "hard": c["hard"] == "h", "why": c["why"], "writer": WRITER},
    })
    return obj


def validate(objs, names):
    seen = set()
    for o in objs:
        i = o["external_id"]
        if i in seen:
            fail(f"duplicate id {i}")
        seen.add(i)
        for k in ("external_id", "direction", "customer_phone", "started_at", "ended_at",
                  "job_booked", "transcript", "label"):
            if k not in o:
                fail(f"{i}: missing {k}")
        if o["direction"] != "inbound" or o["job_booked"] is not False:
            fail(f"{i}: direction/job_booked")
        if "brand" in o and o["brand"] not in names:
            fail(f"{i}: brand not in profile")
        if o["label"]["brand"] not in names:
            fail(f"{i}: label brand not in profile")
        st = datetime.fromisoformat(o["started_at"]); en = datetime.fromisoformat(o["ended_at"])
        dur = (en - st).total_seconds()
        prev = -1.0
        for s in o["transcript"]:
            if not s["text"].strip():
                fail(f"{i}: empty segment")
            if s["start"] < prev or s["end"] < s["start"] or s["end"] > dur + 0.01:
                fail(f"{i}: segment order/bounds")
            prev = s["end"]
        if not (2 <= len(o["transcript"]) <= 40):
            fail(f"{i}: {len(o['transcript'])} segments (want 2..40)")


def build():
    with open(os.path.join(HERE, "profile.toml"), "rb") as f:
        names = {b["name"] for b in tomllib.load(f)["brand"]}
    calls = []
    for p in sorted(glob.glob(os.path.join(HERE, "src", "batch_*.txt"))):
        calls.extend(parse(p))
    calls.sort(key=lambda c: c["num"])
    objs = []
    for c in calls:
        rng = random.Random(f"{SEED}-{c['num']}")
        objs.append(build_call(c, rng, names))
    validate(objs, names)
    text = "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objs)
    return text, objs


def main():
    text, objs = build()
    out = os.path.join(HERE, "calls.jsonl")
    if "--check" in sys.argv:
        cur = open(out, encoding="utf-8").read() if os.path.exists(out) else None
        if cur != text:
            print("calls.jsonl is stale; run python3 build.py", file=sys.stderr)
            sys.exit(1)
        print(f"ok: {len(objs)} calls up to date")
        return
    with open(out, "w", encoding="utf-8") as f:
        f.write(text)
    leads = sum(o["label"]["lead"] for o in objs)
    hard = sum(o["label"]["hard"] for o in objs)
    print(f"wrote {len(objs)} calls: {leads} leads, {len(objs)-leads} not, {hard} hard")
    if "--stats" in sys.argv:
        from collections import Counter
        per = Counter((o["label"]["brand"], o["label"]["lead"]) for o in objs)
        for k, v in sorted(per.items()):
            print(" ", k, v)
        kinds = Counter((o["label"]["kind"], o["label"]["lead"]) for o in objs)
        for (k, l), v in sorted(kinds.items(), key=lambda x: (-x[1], x[0])):
            print(f"  {'L' if l else 'N'} {k}: {v}")
        print("  brand field:", sum('brand' in o for o in objs))


if __name__ == "__main__":
    main()
