#!/usr/bin/env python3
"""Build calls.jsonl from src/batch*.txt (stdlib only). --check: exit 1 if calls.jsonl is stale.

Source format, one call per block:
  @ CODE[+] | customer name or - | call type | csr notes | style[,vm]
  = L|N kind [!]          (L lead, N not a lead, ! hard)
  ? one-sentence why
  a: agent line / c: customer line / s: system line (IVR, voicemail greeting, [music], [silence])
CODE+ means the export carries the brand field. style: std swap spk allc unk caller.
"""
import json, random, re, sys, tomllib, glob, os
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
WRITER = "w_blind_g"
PREFIX = "BG"
CODES = {"BA": "Buckeye Air & Heat", "SP": "Scioto Plumbing & Drain", "CP": "Clearway Pest Solutions",
         "SR": "Summit Ridge Roofing", "IG": "Ironclad Garage Doors", "NB": "Northgate Boilers & Plumbing"}
CSR_US = ["jmartinez", "kpatel", "tbrooks", "aduvall", "mreyes", "lchen", "dowens", "sgreer", "bnakamura"]
CSR_UK = ["gemma.c", "liam.w", "priya.f", "dean.d"]
AGENTS = {"kayla", "tom", "ana", "mike", "jess", "ray", "brianna", "dean", "marcus", "derek", "jenna",
          "nicole", "pete", "gemma", "liam", "priya", "maría"}
US_AREA = ["614", "380", "740", "937"]


def parse(path):
    calls, cur = [], None
    for ln, raw in enumerate(open(path, encoding="utf-8"), 1):
        line = raw.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        where = f"{os.path.basename(path)}:{ln}"
        if line.startswith("@"):
            parts = [p.strip() for p in line[1:].split("|")]
            while len(parts) < 5:
                parts.append("")
            code = parts[0]
            show = code.endswith("+")
            code = code.rstrip("+")
            if code not in CODES:
                sys.exit(f"{where}: unknown brand code {code}")
            style = parts[4] or "std"
            cur = {"where": where, "code": code, "show": show, "name": parts[1], "type": parts[2],
                   "notes": parts[3], "style": style.split(",")[0], "vm": "vm" in style.split(","),
                   "lead": None, "segs": []}
            calls.append(cur)
        elif cur is None:
            sys.exit(f"{where}: line outside a call")
        elif line.startswith("="):
            t = line[1:].split()
            cur["lead"] = {"L": True, "N": False}[t[0]]
            cur["kind"] = t[1]
            cur["hard"] = "!" in t[2:]
        elif line.startswith("?"):
            cur["why"] = line[1:].strip()
        elif re.match(r"^[acs]:", line):
            cur["segs"].append((line[0], line[2:].strip()))
        else:
            sys.exit(f"{where}: cannot read line: {line!r}")
    return calls


def speaker_map(style, rng):
    if style == "std":
        return {"a": "agent", "c": "customer", "s": rng.choice(["agent", "unknown", "agent"])}
    if style == "swap":
        return {"a": "customer", "c": "agent", "s": "customer"}
    if style == "spk":
        first = rng.choice([0, 1])
        return {"a": f"spk_{first}", "c": f"spk_{1-first}", "s": f"spk_{first}"}
    if style == "allc":
        return {"a": "customer", "c": "customer", "s": "customer"}
    if style == "unk":
        return {"a": "unknown", "c": "unknown", "s": "unknown"}
    if style == "caller":
        return {"a": "agent", "c": "caller", "s": "unknown"}
    raise ValueError(style)


def csr_for(c, rng, uk):
    """The CSR handle follows the agent name said on the call when there is one."""
    pool = CSR_UK if uk else CSR_US
    pick = rng.choice(pool)
    for who, text in c["segs"]:
        m = re.search(r"(?:this is|habla|speaking to) (\w+)|(\w+) speaking", text, re.I)
        if who == "a" and m and (m.group(1) or m.group(2)).lower() in AGENTS:
            name = (m.group(1) or m.group(2)).lower()
            ini = "bcdfghklmprstw"[sum(map(ord, name)) % 14]
            return f"{name}.{ini}" if uk else f"{ini}{name}"
    return pick


def render(c, idx, rng):
    brand = CODES[c["code"]]
    uk = c["code"] == "NB"
    tz = timezone(timedelta(hours=0)) if uk else timezone(timedelta(hours=-5))
    day = datetime(2026, 11, 2, tzinfo=tz) + timedelta(days=rng.randrange(0, 30))
    if c["vm"]:
        hour = rng.choice([19, 20, 21, 22, 6])
    else:
        hour = rng.randrange(8, 18)
    start = day.replace(hour=hour, minute=rng.randrange(60), second=rng.randrange(60))
    spk = speaker_map(c["style"], rng)
    t = round(rng.uniform(0.0, 1.2), 1)
    segs = []
    for who, text in c["segs"]:
        words = len(text.split())
        if re.fullmatch(r"\[[a-z ]+\]", text):
            dur = rng.uniform(2.0, 9.0) if text in ("[music]", "[hold music]") else rng.uniform(0.8, 4.0)
        else:
            dur = max(0.7, words * rng.uniform(0.30, 0.42))
        s = round(t, 1)
        e = round(t + dur, 1)
        if e <= s:
            e = round(s + 0.5, 1)
        segs.append({"speaker": spk[who], "start": s, "end": e, "text": text})
        t = e + rng.uniform(0.1, 0.9)
        if rng.random() < 0.12:  # occasional overlap / interruption
            t = max(s + 0.2, e - rng.uniform(0.1, 0.6))
    total = segs[-1]["end"] + rng.uniform(0.5, 3.0) if segs else 5.0
    if uk:
        phone = f"+44 161 496 0{rng.randrange(0, 1000):03d}"
        if rng.random() < 0.3:
            phone = f"+44 7700 900{rng.randrange(0, 1000):03d}"
    else:
        a = rng.choice(US_AREA)
        phone = rng.choice([f"({a}) 555-01{rng.randrange(100):02d}", f"{a}-555-01{rng.randrange(100):02d}",
                            f"+1{a}55501{rng.randrange(100):02d}"])
    name = c["name"]
    if name in ("", "-"):
        name = rng.choice(["", "WIRELESS CALLER", "UNKNOWN", None])
    rec = {"external_id": f"{PREFIX}-{idx:04d}", "direction": "inbound"}
    if c["show"]:
        rec["brand"] = brand
    rec.update({
        "customer_phone": phone, "customer_name": name,
        "started_at": start.isoformat(), "ended_at": (start + timedelta(seconds=round(total))).isoformat(),
        "call_type": c["type"] or None, "csr": csr_for(c, rng, uk),
        "csr_notes": c["notes"] or "", "job_booked": False, "recording": None,
        "transcript": segs,
        "label": {"lead": c["lead"], "brand": brand, "kind": c["kind"], "hard": c["hard"],
                  "why": c.get("why", ""), "writer": WRITER}})
    return rec


def validate(recs, brands):
    ids = set()
    for r in recs:
        w = r["external_id"]
        for k in ("external_id", "direction", "customer_phone", "started_at", "ended_at", "job_booked", "transcript", "label"):
            if k not in r:
                sys.exit(f"{w}: missing {k}")
        if r["direction"] != "inbound" or r["job_booked"] is not False:
            sys.exit(f"{w}: direction/job_booked")
        if w in ids:
            sys.exit(f"{w}: duplicate id")
        ids.add(w)
        if "brand" in r and r["brand"] not in brands:
            sys.exit(f"{w}: unknown brand")
        L = r["label"]
        if L["brand"] not in brands or not isinstance(L["lead"], bool) or not L["kind"] or not L["why"]:
            sys.exit(f"{w}: bad label {L}")
        if not (2 <= len(r["transcript"]) <= 40):
            sys.exit(f"{w}: {len(r['transcript'])} segments")
        prev = -1
        dur = (datetime.fromisoformat(r["ended_at"]) - datetime.fromisoformat(r["started_at"])).total_seconds()
        for s in r["transcript"]:
            if s["start"] < prev - 1e-9 or s["end"] <= s["start"] or s["end"] > dur:
                sys.exit(f"{w}: segment order/timing {s}")
            prev = s["start"]
            if not s["text"]:
                sys.exit(f"{w}: empty segment")


def build():
    brands = {b["name"] for b in tomllib.load(open(os.path.join(HERE, "profile.toml"), "rb"))["brand"]}
    assert set(CODES.values()) <= brands
    calls = []
    for p in sorted(glob.glob(os.path.join(HERE, "src", "batch*.txt"))):
        calls += parse(p)
    rng = random.Random(20261203)
    recs = []
    for i, c in enumerate(calls, 1):
        if c["lead"] is None:
            sys.exit(f"{c['where']}: no label line")
        recs.append(render(c, i, rng))
    validate(recs, brands)
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), recs


if __name__ == "__main__":
    text, recs = build()
    out = os.path.join(HERE, "calls.jsonl")
    if "--check" in sys.argv:
        old = open(out, encoding="utf-8").read() if os.path.exists(out) else ""
        if old != text:
            print("calls.jsonl is stale")
            sys.exit(1)
        print(f"ok: {len(recs)} calls up to date")
        sys.exit(0)
    open(out, "w", encoding="utf-8").write(text)
    from collections import Counter
    n = len(recs); leads = sum(r["label"]["lead"] for r in recs); hard = sum(r["label"]["hard"] for r in recs)
    print(f"{n} calls, {leads} leads ({100*leads/max(n,1):.0f}%), {hard} hard ({100*hard/max(n,1):.0f}%)")
    print("per brand:", dict(Counter(r["label"]["brand"] for r in recs)))
    if "-v" in sys.argv:
        for k, v in sorted(Counter((r["label"]["lead"], r["label"]["kind"]) for r in recs).items()):
            print(("L " if k[0] else "N ") + k[1], v)
