#!/usr/bin/env python3
"""Build calls.jsonl (and README.md counts) from batches/*.txt.  Writer: w_mixed.

Source format (one file per batch):
  == NNNN | +BR | Caller Name | Call Type | csr | csr notes | scheme
  >> L|N | kind | H|E | why
  A: agent text          C: customer text          S: system / marker text
  a: / c:  same speaker but mislabelled (gets the other side's label)
BR is a brand short code (see BRANDS); '+' puts the brand field in the export,
'-' leaves it out (label.brand is always set). Caller name '-' -> null.
scheme: ac agent/customer, sw swapped, sp spk_0/spk_1, ps spk_1/spk_0,
        cc everything 'customer', ca agent/caller, un everything 'unknown'.
Stdlib only; deterministic (seeded by call number).
  python3 build.py          rebuild
  python3 build.py --check  exit 1 when calls.jsonl / README.md are stale
"""
import json, os, random, re, sys, tomllib
from collections import Counter
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
WRITER = "w_mixed"
PREFIX = "WMX"
BRANDS = {"RH": "Ridgeline Heating & Air", "BP": "Buckeye Plumbing & Drain",
          "BE": "Brightline Electric", "CR": "Crestview Roofing", "FA": "FixRight Appliance"}
SCHEMES = {"ac": ("agent", "customer", "unknown"), "sw": ("customer", "agent", "unknown"),
           "sp": ("spk_0", "spk_1", "unknown"), "ps": ("spk_1", "spk_0", "unknown"),
           "cc": ("customer", "customer", "customer"), "ca": ("agent", "caller", "unknown"),
           "un": ("unknown", "unknown", "unknown")}
TZ = timezone(timedelta(hours=-5))
AREA = ["614", "614", "614", "380", "740"]


def fail(msg):
    print("ERROR:", msg, file=sys.stderr)
    sys.exit(2)


def load_profile():
    with open(os.path.join(HERE, "profile.toml"), "rb") as f:
        prof = tomllib.load(f)
    names = [b["name"] for b in prof["brand"]]
    for code, n in BRANDS.items():
        if n not in names:
            fail(f"brand {code}={n!r} not in profile.toml")
    return names


def parse():
    calls = []
    bdir = os.path.join(HERE, "batches")
    for fn in sorted(os.listdir(bdir)):
        if not fn.endswith(".txt"):
            continue
        cur = None
        for ln, raw in enumerate(open(os.path.join(bdir, fn), encoding="utf-8"), 1):
            line = raw.rstrip("\n").strip()
            where = f"{fn}:{ln}"
            if not line or line.startswith("#"):
                continue
            if line.startswith("=="):
                parts = [p.strip() for p in line[2:].split("|")]
                if len(parts) != 7:
                    fail(f"{where}: header needs 7 fields, got {len(parts)}")
                cur = {"where": where, "num": parts[0], "brand": parts[1], "name": parts[2],
                       "type": parts[3], "csr": parts[4], "notes": parts[5],
                       "scheme": parts[6], "label": None, "segs": []}
                calls.append(cur)
            elif line.startswith(">>"):
                parts = [p.strip() for p in line[2:].split("|", 3)]
                if cur is None or len(parts) != 4:
                    fail(f"{where}: bad label line")
                cur["label"] = parts
            elif re.match(r"^[ACSac]:", line):
                if cur is None:
                    fail(f"{where}: segment before header")
                cur["segs"].append((line[0], line[2:].strip()))
            else:
                fail(f"{where}: unrecognised line: {line[:60]}")
    return calls


def render(c, names):
    w = c["where"]
    if not re.fullmatch(r"\d{4}", c["num"]):
        fail(f"{w}: bad number {c['num']}")
    num = int(c["num"])
    rng = random.Random(7919 * num + 13)
    bs = c["brand"]
    if len(bs) < 3 or bs[0] not in "+-" or bs[1:] not in BRANDS:
        fail(f"{w}: bad brand spec {bs}")
    brand = BRANDS[bs[1:]]
    if c["scheme"] not in SCHEMES:
        fail(f"{w}: bad scheme {c['scheme']}")
    if not c["label"]:
        fail(f"{w}: no label")
    lead, kind, hard, why = c["label"]
    if lead not in ("L", "N") or hard not in ("H", "E") or not re.fullmatch(r"[a-z][a-z0-9_]*", kind) or len(why) < 15:
        fail(f"{w}: bad label {c['label']}")
    if not (2 <= len(c["segs"]) <= 40):
        fail(f"{w}: {len(c['segs'])} segments (need 2..40)")
    sa, sc, ss = SCHEMES[c["scheme"]]
    t = round(rng.uniform(0.0, 0.8), 1)
    segs = []
    for who, text in c["segs"]:
        if not text:
            fail(f"{w}: empty segment")
        words = len(text.split())
        dur = round(max(0.9, words * rng.uniform(0.28, 0.42) + rng.uniform(0.2, 0.9)), 1)
        if who == "S" and text.startswith("[") and words <= 2:
            dur = round(rng.uniform(2.0, 14.0), 1)
        spk = {"A": sa, "C": sc, "S": ss, "a": sc, "c": sa}[who]
        segs.append({"speaker": spk, "start": t, "end": round(t + dur, 1), "text": text})
        t = round(t + dur + rng.uniform(0.15, 1.1), 1)
    for a, b in zip(segs, segs[1:]):
        if not (a["start"] < a["end"] <= b["start"]):
            fail(f"{w}: segments out of order")
    day = datetime(2026, 11, 2, tzinfo=TZ) + timedelta(days=rng.randrange(0, 31))
    start = day + timedelta(hours=rng.randrange(7, 19), minutes=rng.randrange(60), seconds=rng.randrange(60))
    end = start + timedelta(seconds=int(segs[-1]["end"] + rng.uniform(0.5, 3.0)) + 1)
    phone = f"({rng.choice(AREA)}) 555-01{rng.randrange(100):02d}"
    rec = {"external_id": f"{PREFIX}-{c['num']}", "direction": "inbound"}
    if bs[0] == "+":
        rec["brand"] = brand
    rec.update({
        "customer_phone": phone,
        "customer_name": None if c["name"] == "-" else c["name"],
        "started_at": start.isoformat(), "ended_at": end.isoformat(),
        "call_type": c["type"] or None, "csr": c["csr"] or None,
        "csr_notes": c["notes"] or None, "job_booked": False, "recording": None,
        "transcript": segs,
        "label": {"lead": lead == "L", "brand": brand, "kind": kind, "hard": hard == "H",
                  "why": why, "writer": WRITER}})
    if rec["label"]["brand"] not in names:
        fail(f"{w}: label brand not in profile")
    return rec


README_HEAD = """# w_mixed — hard, mixed inbound calls

Writer id: `w_mixed`. Invented calls (no other set consulted) for the Second Chance Leads
classifier, in the phone system's export format, labelled with the supervisor question
"would we call this person back to sell a job for the brand the call came in on?".

Style: the hard, mixed calls where single words mislead — several topics in one call,
needs resolved on the call (and ones that only sound resolved), non-leads full of service
words (competitors, suppliers, adjusters, inspectors, test and role-play calls, DIY parts
buyers, tenants without authority, realtors), leads full of non-lead words (membership
refusals, job seekers with a broken furnace, angry no-show customers, price shoppers),
bookings that sound unbooked and the reverse, brand scope (`also` / `not` / `area`) traps.
Clean and raw speech-recognition transcripts, swapped or generic speaker labels, and some
misleading CSR notes / call types.

Brands (`profile.toml`, one group in central Ohio): Ridgeline Heating & Air (hvac),
Buckeye Plumbing & Drain (plumbing, drains, water heaters, water treatment),
Brightline Electric (electrical, generators), Crestview Roofing (roofing, gutters),
FixRight Appliance (appliance repair).

Files: `batches/*.txt` (source, format described in `build.py`), `build.py`
(`python3 build.py` rebuilds, `--check` exits 1 when stale), `calls.jsonl` (output).
"""


def readme(recs):
    L = sum(r["label"]["lead"] for r in recs)
    H = sum(r["label"]["hard"] for r in recs)
    out = [README_HEAD, "## Counts (generated by build.py)\n",
           f"- calls: {len(recs)}", f"- leads: {L}", f"- not leads: {len(recs) - L}",
           f"- hard: {H}", ""]
    out.append("By brand (leads / total):\n")
    bc = Counter(r["label"]["brand"] for r in recs)
    bl = Counter(r["label"]["brand"] for r in recs if r["label"]["lead"])
    for b, n in sorted(bc.items()):
        out.append(f"- {b}: {bl[b]} / {n}")
    out.append("\nKinds (lead kinds marked L, others N):\n")
    kc = Counter((r["label"]["kind"], r["label"]["lead"]) for r in recs)
    for (k, l), n in sorted(kc.items(), key=lambda x: (-x[1], x[0][0])):
        out.append(f"- {'L' if l else 'N'} `{k}`: {n}")
    return "\n".join(out) + "\n"


def main():
    names = load_profile()
    calls = parse()
    seen = set()
    recs = []
    for c in calls:
        if c["num"] in seen:
            fail(f"{c['where']}: duplicate id {c['num']}")
        seen.add(c["num"])
        recs.append(render(c, names))
    recs.sort(key=lambda r: r["external_id"])
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs)
    rd = readme(recs)
    pj, pr = os.path.join(HERE, "calls.jsonl"), os.path.join(HERE, "README.md")
    if "--check" in sys.argv:
        stale = False
        for p, d in ((pj, data), (pr, rd)):
            if not os.path.exists(p) or open(p, encoding="utf-8").read() != d:
                print("stale:", p)
                stale = True
        sys.exit(1 if stale else 0)
    with open(pj, "w", encoding="utf-8") as f:
        f.write(data)
    with open(pr, "w", encoding="utf-8") as f:
        f.write(rd)
    L = sum(r["label"]["lead"] for r in recs)
    H = sum(r["label"]["hard"] for r in recs)
    print(f"{len(recs)} calls, {L} leads, {len(recs) - L} not, {H} hard")


if __name__ == "__main__":
    main()
