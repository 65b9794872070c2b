#!/usr/bin/env python3
"""Build calls.jsonl (and README.md) from the batch_*.txt sources of writer w_long_nw.

Source format, one call per block:

    === <title, ignored>
    b: Brand Name            brand; a leading '?' keeps the export's brand field absent
    n: Caller Name           (optional; '-' = absent)
    csr: login               (optional)
    t: Service               call_type (optional)
    note: free text          csr_notes (optional)
    sp: ac|ca|spk|sk|cc|unk|cl  how the phone system labels speakers (default ac)
    tz: -08:00               (optional; default from the brand)
    L: 1|0 kind h|- | why    label: lead, kind, hard, reason
    ---
    A: agent line
    C: customer line
    S: system segment ([music], IVR prompt, voicemail greeting ...)
    ~flip                    diarisation flips: A/C labels swap from here on

`python3 build.py` rebuilds; `python3 build.py --check` exits 1 when stale.
"""
import glob
import json
import os
import random
import sys
import tomllib
from collections import Counter
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
WRITER = "w_long_nw"
PREFIX = "WNW"
SEED = 4711

BRAND_TZ = {
    "Timberline Restoration": ("-08:00", ["503", "971", "360"]),
    "Ember & Flue Chimney": ("-07:00", ["208", "986"]),
    "High Desert Solar & Insulation": ("-08:00", ["541", "458"]),
    "Rainier Home Exteriors": ("-08:00", ["253", "360", "564"]),
    "Gallatin Water & Land": ("-07:00", ["406"]),
}

STYLES = {
    "ac": ("agent", "customer", "unknown"),
    "ca": ("customer", "agent", "unknown"),
    "spk": ("spk_0", "spk_1", "spk_0"),
    "sk": ("spk_1", "spk_0", "spk_1"),
    "cc": ("customer", "customer", "customer"),
    "unk": ("unknown", "caller", "unknown"),
    "cl": ("agent", "caller", "agent"),
}


def fail(msg):
    print("ERROR:", msg, file=sys.stderr)
    sys.exit(2)


def parse_batches():
    calls = []
    for path in sorted(glob.glob(os.path.join(HERE, "batch_*.txt"))):
        cur = None
        body = False
        with open(path, encoding="utf-8") as fh:
            for ln, raw in enumerate(fh, 1):
                line = raw.rstrip("\n")
                where = f"{os.path.basename(path)}:{ln}"
                if line.startswith("==="):
                    cur = {"meta": {}, "segs": [], "where": where}
                    calls.append(cur)
                    body = False
                    continue
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                if cur is None:
                    fail(f"{where}: text before first ===")
                if line.strip() == "---":
                    body = True
                    continue
                if not body:
                    if ":" not in line:
                        fail(f"{where}: bad header line")
                    k, v = line.split(":", 1)
                    cur["meta"][k.strip()] = v.strip()
                    continue
                if line.strip() == "~flip":
                    cur["segs"].append(("FLIP", ""))
                    continue
                if len(line) < 3 or line[1] != ":" or line[0] not in "ACS":
                    fail(f"{where}: bad segment line: {line[:40]!r}")
                cur["segs"].append((line[0], line[2:].strip()))
    return calls


def build():
    with open(os.path.join(HERE, "profile.toml"), "rb") as fh:
        prof = tomllib.load(fh)
    brands = [b["name"] for b in prof["brand"]]
    for b in brands:
        if b not in BRAND_TZ:
            fail(f"no tz/phone info for brand {b}")
    calls = parse_batches()
    out = []
    seen = set()
    base = datetime(2026, 11, 2, 0, 0, 0)
    for i, c in enumerate(calls, 1):
        m = c["meta"]
        eid = f"{PREFIX}-{i:04d}"
        if eid in seen:
            fail(f"duplicate id {eid}")
        seen.add(eid)
        rng = random.Random(f"{SEED}-{eid}")
        braw = m.get("b", "")
        hide = braw.startswith("?")
        brand = braw.lstrip("?").strip()
        if brand not in brands:
            fail(f"{c['where']}: unknown brand {brand!r}")
        tzs, codes = BRAND_TZ[brand]
        tzs = m.get("tz", tzs)
        sign = 1 if tzs[0] == "+" else -1
        hh, mm = tzs[1:].split(":")
        tz = timezone(sign * timedelta(hours=int(hh), minutes=int(mm)))
        if "L" not in m:
            fail(f"{c['where']}: no label")
        lab, why = m["L"].split("|", 1)
        parts = lab.split()
        if len(parts) != 3 or parts[0] not in "01" or parts[2] not in ("h", "-"):
            fail(f"{c['where']}: bad label {m['L']!r}")
        why = why.strip()
        if not why:
            fail(f"{c['where']}: empty why")
        style = m.get("sp", "ac")
        if style not in STYLES:
            fail(f"{c['where']}: bad sp {style}")
        a_lab, c_lab, s_lab = STYLES[style]
        segs = []
        t = round(rng.uniform(0.0, 1.2), 1)
        flipped = False
        for who, text in c["segs"]:
            if who == "FLIP":
                flipped = not flipped
                continue
            if not text:
                fail(f"{c['where']}: empty segment")
            if who == "S":
                spk = s_lab
            else:
                is_a = (who == "A") != flipped
                spk = a_lab if is_a else c_lab
            words = len(text.split())
            dur = round(max(0.6, words * rng.uniform(0.28, 0.4) + rng.uniform(0.2, 0.9)), 1)
            if who == "S" and text.startswith("[") and words <= 2:
                dur = round(rng.uniform(1.5, 25.0), 1)
            segs.append({"speaker": spk, "start": round(t, 1), "end": round(t + dur, 1), "text": text})
            t = t + dur + rng.uniform(0.1, 0.9)
        if not segs:
            fail(f"{c['where']}: no segments")
        day = rng.randrange(0, 31)
        local = base + timedelta(days=day, hours=rng.randrange(7, 19), minutes=rng.randrange(60),
                                 seconds=rng.randrange(60))
        start = local.replace(tzinfo=tz)
        end = start + timedelta(seconds=int(segs[-1]["end"] + rng.uniform(0.5, 4.0)) + 1)
        phone = f"({rng.choice(codes)}) 555-01{rng.randrange(100):02d}"
        name = m.get("n", "-")
        rec = {
            "external_id": eid,
            "direction": "inbound",
        }
        if not hide:
            rec["brand"] = brand
        rec.update({
            "customer_phone": phone,
            "customer_name": None if name == "-" else name,
            "started_at": start.isoformat(),
            "ended_at": end.isoformat(),
            "call_type": m.get("t") or None,
            "csr": m.get("csr") or None,
            "csr_notes": m.get("note") or None,
            "job_booked": False,
            "recording": None,
            "transcript": segs,
            "label": {"lead": parts[0] == "1", "brand": brand, "kind": parts[1],
                      "hard": parts[2] == "h", "why": why, "writer": WRITER},
        })
        validate(rec, brands)
        out.append(rec)
    return out, brands


def validate(r, brands):
    for k in ("external_id", "direction", "customer_phone", "started_at", "ended_at",
              "job_booked", "transcript", "label"):
        if k not in r:
            fail(f"{r.get('external_id')}: missing {k}")
    assert r["direction"] == "inbound" and r["job_booked"] is False
    if "brand" in r and r["brand"] not in brands:
        fail(f"{r['external_id']}: bad brand")
    if r["label"]["brand"] not in brands:
        fail(f"{r['external_id']}: bad label brand")
    prev = -1.0
    for s in r["transcript"]:
        if s["start"] < prev or s["end"] < s["start"]:
            fail(f"{r['external_id']}: unordered segments")
        prev = s["start"]
    kind = r["label"]["kind"]
    if not kind.replace("_", "").isalnum() or kind.lower() != kind:
        fail(f"{r['external_id']}: bad kind {kind}")


def render(out):
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in out)


def readme(out, brands, prof_brands):
    n = len(out)
    leads = sum(r["label"]["lead"] for r in out)
    hard = sum(r["label"]["hard"] for r in out)
    kinds = Counter((r["label"]["kind"], r["label"]["lead"]) for r in out)
    per_brand = Counter(r["label"]["brand"] for r in out)
    segs = [len(r["transcript"]) for r in out]
    lines = [
        "# w_long_nw — long Northwest specialty-trade calls",
        "",
        "Writer id: `w_long_nw`. All calls invented by this writer; built by `python3 build.py`",
        "from `batch_*.txt` (format documented at the top of `build.py`); `--check` exits 1 when stale.",
        "",
        "Style: a Portland call floor answering for five specialty brands in Oregon, Washington, Idaho",
        "and Montana (restoration, flooring, chimney, solar, insulation, windows/doors, gutters, painting,",
        "septic, water treatment, landscaping/irrigation). Mostly long, rambling calls with stories,",
        "price and scheduling talk and several topics; about two thirds written as raw speech recognition",
        "(lowercase, misheard words, [laughter]/[inaudible] markers, mixed or flipped speaker labels), the rest clean.",
        "Speaker labels vary as phone systems deliver them (agent/customer, swapped, spk_0/spk_1, caller, unknown,",
        "all customer); about half the calls carry the export `brand` field, the rest rely on the greeting.",
        "Company profile: `profile.toml`.",
        "",
        f"Calls: {n} — leads {leads}, not leads {n - leads}, hard {hard}.",
        f"Segments per call: min {min(segs)}, median {sorted(segs)[len(segs)//2]}, max {max(segs)}.",
        "",
        "## Brands",
        "",
    ]
    for b in prof_brands:
        lines.append(f"- {b['name']} ({', '.join(b['trades'])}; area {', '.join(b.get('area', []))}): "
                     f"{per_brand[b['name']]} calls")
    lines += ["", "## Kinds", "", "| kind | lead | calls |", "|---|---|---|"]
    for (k, l), v in sorted(kinds.items(), key=lambda x: (not x[0][1], -x[1], x[0][0])):
        lines.append(f"| {k} | {'yes' if l else 'no'} | {v} |")
    return "\n".join(lines) + "\n"


def main():
    out, brands = build()
    text = render(out)
    path = os.path.join(HERE, "calls.jsonl")
    if "--check" in sys.argv:
        old = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
        if old != text:
            print("calls.jsonl is stale")
            sys.exit(1)
        print(f"ok: {len(out)} calls")
        return
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
    with open(os.path.join(HERE, "README.md"), "w", encoding="utf-8") as fh:
        fh.write(readme(out, brands, tomllib.load(open(os.path.join(HERE, 'profile.toml'), 'rb'))['brand']))
    n = len(out)
    leads = sum(r["label"]["lead"] for r in out)
    hard = sum(r["label"]["hard"] for r in out)
    print(f"built {n} calls: leads {leads}, not {n - leads}, hard {hard}")


if __name__ == "__main__":
    main()
