#!/usr/bin/env python3
"""Build calls.jsonl from batches/*.txt (writer w_raw_h). Stdlib only.

Batch format (one call per block):
  @ KEY | b | L/N | kind | h/- | spk | day/ah | customer name | call_type | csr | csr notes
  ? why sentence
  a agent line      c customer line      s system/IVR/marker line
KEY: SAG BRI GUL THO COA PIK.  b: y = export carries the brand field, n = not.
spk: std swap spk spkr allc unk caller  (how the phone system labelled speakers),
     optionally +p: punctuated, capitalised transcript from the newer engine
python3 build.py          rebuild calls.jsonl
python3 build.py --check  exit 1 if calls.jsonl is stale or invalid
"""
import glob, json, os, random, re, sys, tomllib
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
WRITER = "w_raw_h"
PREFIX = "RAWH"
KEYS = {
    "SAG": ("Saguaro Comfort & Plumbing", -7, "us", ["602", "480", "623"]),
    "BRI": ("Brightline Solar & Power", -7, "us", ["520"]),
    "GUL": ("Gulf Coast Dry-Out", -5, "us", ["813", "727"]),
    "THO": ("Thornbury Windows & Doors", 0, "uk", None),
    "COA": ("Coastline Pool & Spa", 10, "au", None),
    "PIK": ("Pikes Peak Hearth & Septic", -7, "us", ["719"]),
}
SPK = {
    "std": ("agent", "customer"), "swap": ("customer", "agent"),
    "spk": ("spk_0", "spk_1"), "spkr": ("spk_1", "spk_0"),
    "allc": ("customer", "customer"), "unk": ("unknown", "unknown"),
    "caller": ("agent", "caller"),
}
KIND_RE = re.compile(r"^[a-z][a-z0-9_]*$")
# "+p" after the speaker style: the phone system's newer engine punctuates and
# capitalises (cleaner transcript); the words themselves stay as written.
PROPER = ["saguaro comfort and plumbing", "saguaro comfort", "saguaro", "brightline solar and power",
          "brightline", "gulf coast dry out", "thornbury windows and doors", "coastline pool and spa",
          "pikes peak hearth and septic", "pikes peak", "phoenix", "tempe", "mesa", "chandler", "gilbert",
          "scottsdale", "tucson", "marana", "oro valley", "sahuarita", "vail", "green valley", "tampa",
          "st pete", "st petersburg", "clearwater", "brandon", "largo", "riverview", "bristol", "bath",
          "thornbury", "keynsham", "portishead", "yate", "clevedon", "gold coast", "southport", "robina",
          "burleigh heads", "burleigh", "coolangatta", "nerang", "helensvale", "colorado springs",
          "monument", "fountain", "manitou springs", "woodland park", "monday", "tuesday", "wednesday",
          "thursday", "friday", "saturday", "sunday", "january", "december", "november", "christmas",
          "google", "generac", "tesla", "upvc"]
QWORDS = ("what", "how", "when", "where", "can", "could", "do", "does", "is", "are", "did",
          "would", "will", "who", "which", "you do", "you guys")


def punctuate(text):
    if text.startswith("["):
        return text
    t = " " + text + " "
    for p in sorted(PROPER, key=len, reverse=True):
        t = re.sub(r"(?<=[ ])" + re.escape(p) + r"(?=[ ])",
                   "uPVC" if p == "upvc" else " ".join(w if w == "and" else w.capitalize() for w in p.split()), t)
    t = re.sub(r"(?<= )i(?=( |'))", "I", t).strip()
    t = t[0].upper() + t[1:]
    if t[-1] not in ".?!":
        t += "?" if t.lower().startswith(QWORDS) else "."
    return t


def fail(msg):
    print("ERROR:", msg, file=sys.stderr)
    sys.exit(1)


def parse(path):
    calls, cur = [], None
    for n, raw in enumerate(open(path, encoding="utf-8"), 1):
        line = raw.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        where = f"{os.path.basename(path)}:{n}"
        if line.startswith("@"):
            parts = [p.strip() for p in line[1:].split("|")]
            if len(parts) != 11:
                fail(f"{where}: header needs 11 fields, got {len(parts)}")
            cur = {"where": where, "h": parts, "why": None, "segs": []}
            calls.append(cur)
        elif cur is None:
            fail(f"{where}: text before first header")
        elif line.startswith("? "):
            cur["why"] = line[2:].strip()
        elif line[:2] in ("a ", "c ", "s "):
            cur["segs"].append((line[0], line[2:].strip()))
        else:
            fail(f"{where}: unknown line {line[:40]!r}")
    return calls


def phone(rng, region, areas):
    if region == "us":
        return f"({rng.choice(areas)}) 555-01{rng.randint(0, 99):02d}"
    if region == "uk":
        return f"+44 7700 900{rng.randint(0, 999):03d}"
    return f"+61 491 570 {rng.randint(100, 199)}"


def build_call(i, c, brands):
    key, bflag, lead, kind, hard, spk, when, name, ctype, csr, notes = c["h"]
    w = c["where"]
    if key not in KEYS:
        fail(f"{w}: unknown brand key {key}")
    bname, tz, region, areas = KEYS[key]
    if bname not in brands:
        fail(f"{w}: brand {bname} not in profile.toml")
    if bflag not in ("y", "n") or lead not in ("L", "N") or hard not in ("h", "-"):
        fail(f"{w}: bad flag")
    punct = spk.endswith("+p")
    spk = spk[:-2] if punct else spk
    if spk not in SPK or when not in ("day", "ah"):
        fail(f"{w}: bad speaker style or time")
    if not KIND_RE.match(kind):
        fail(f"{w}: kind not snake_case")
    if not c["why"]:
        fail(f"{w}: missing why")
    if not c["segs"]:
        fail(f"{w}: empty transcript")
    eid = f"{PREFIX}-{i:04d}"
    rng = random.Random(f"{WRITER}-{eid}")
    tzinfo = timezone(timedelta(hours=tz))
    day = datetime(2026, 10, 1, tzinfo=tzinfo) + timedelta(days=rng.randint(0, 62))
    if when == "day":
        hour = rng.randint(7, 17)
    else:
        hour = rng.choice([5, 6, 19, 20, 21, 22, 23])
    start = day.replace(hour=hour, minute=rng.randint(0, 59), second=rng.randint(0, 59))
    a_lab, c_lab = SPK[spk]
    t = round(rng.uniform(0.0, 0.6), 1)
    segs = []
    for who, text in c["segs"]:
        words = len(text.split())
        if who == "s" and text.startswith("[") and text.endswith("]") and words <= 3:
            dur = rng.uniform(2.5, 14.0)
        else:
            dur = words / rng.uniform(2.3, 3.1) + rng.uniform(0.2, 0.8)
        end = t + max(dur, 0.6)
        label = {"a": a_lab, "c": c_lab, "s": "unknown"}[who]
        if punct and who != "s":
            text = punctuate(text)
        segs.append({"speaker": label, "start": round(t, 1), "end": round(end, 1), "text": text})
        t = round(end, 1) + rng.uniform(0.1, 0.9)
    ended = start + timedelta(seconds=int(t) + rng.randint(1, 4))
    rec = {"external_id": eid, "direction": "inbound"}
    if bflag == "y":
        rec["brand"] = bname
    rec.update({
        "customer_phone": phone(rng, region, areas),
        "customer_name": name or None,
        "started_at": start.isoformat(),
        "ended_at": ended.isoformat(),
        "call_type": ctype or None,
        "csr": csr or None,
        "csr_notes": notes or None,
        "job_booked": False,
        "recording": None,
        "transcript": segs,
        "label": {"lead": lead == "L", "brand": bname, "kind": kind,
                  "hard": hard == "h", "why": c["why"], "writer": WRITER},
    })
    return rec


def validate(recs, brands):
    seen = set()
    need = ["external_id", "direction", "customer_phone", "started_at", "ended_at",
            "job_booked", "transcript", "label"]
    for r in recs:
        for k in need:
            if k not in r:
                fail(f"{r.get('external_id')}: missing {k}")
        if r["external_id"] in seen:
            fail(f"duplicate id {r['external_id']}")
        seen.add(r["external_id"])
        if r["direction"] != "inbound" or r["job_booked"] is not False:
            fail(f"{r['external_id']}: direction/job_booked")
        if "brand" in r and r["brand"] not in brands:
            fail(f"{r['external_id']}: brand field unknown")
        if r["label"]["brand"] not in brands:
            fail(f"{r['external_id']}: label brand unknown")
        prev = -1.0
        s0 = datetime.fromisoformat(r["started_at"])
        dur = (datetime.fromisoformat(r["ended_at"]) - s0).total_seconds()
        for s in r["transcript"]:
            if not s["text"] or s["start"] < prev or s["end"] < s["start"] or s["end"] > dur:
                fail(f"{r['external_id']}: bad segment {s}")
            prev = s["start"]


def build():
    with open(os.path.join(HERE, "profile.toml"), "rb") as f:
        brands = {b["name"] for b in tomllib.load(f)["brand"]}
    calls = []
    for p in sorted(glob.glob(os.path.join(HERE, "batches", "*.txt"))):
        calls.extend(parse(p))
    recs = [build_call(i, c, brands) for i, c in enumerate(calls, 1)]
    validate(recs, brands)
    return recs, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs)


def main():
    recs, text = build()
    out = os.path.join(HERE, "calls.jsonl")
    if "--check" in sys.argv:
        old = open(out, encoding="utf-8").read() if os.path.exists(out) else ""
        if old != text:
            print("calls.jsonl is stale", file=sys.stderr)
            sys.exit(1)
        print(f"ok: {len(recs)} calls, up to date")
        return
    with open(out, "w", encoding="utf-8") as f:
        f.write(text)
    leads = sum(r["label"]["lead"] for r in recs)
    hard = sum(r["label"]["hard"] for r in recs)
    print(f"wrote {len(recs)} calls: {leads} leads, {len(recs)-leads} not, {hard} hard")
    if "--stats" in sys.argv:
        from collections import Counter
        print(Counter(r["label"]["brand"] for r in recs))
        print(Counter((r["label"]["kind"], r["label"]["lead"]) for r in recs).most_common())


if __name__ == "__main__":
    main()
