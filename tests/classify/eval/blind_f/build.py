#!/usr/bin/env python3
"""Build calls.jsonl from src/batch_*.txt (stdlib only, deterministic).

Source format (one call):
  # 0001 | RH | y | Customer Name | Call Type | csr | csr notes | opts
  L + kind H | why sentence
  a agent words            (a = agent, c = customer, s = system: IVR, greeting, music, markers)
  c customer words
Header fields: id number, brand code, y/n = export carries `brand`, name, call_type,
csr, csr_notes, opts (space separated key=val: spk=std|swap|spk|spkr|caller|allc|unk,
t=HH:MM local start time, d=YYYY-MM-DD).
Label line: `+` lead / `-` not lead, kind, optional `H` = hard, then `|` and the why.
Blank lines and lines starting with `//` are ignored.
"""
import datetime as dt
import glob
import json
import os
import random
import re
import sys
import tomllib

HERE = os.path.dirname(os.path.abspath(__file__))
WRITER = "w_blind_f"
PREFIX = "WBF"
SEED = 20261203

BRANDS = {
    "RH": ("Ridgeline Heating & Air", "us_den"),
    "BF": ("Blue Fern Plumbing", "us_den"),
    "CQ": ("Critter Quit Pest Control", "us_den"),
    "PO": ("Peachtree Overhead Doors", "us_atl"),
    "SA": ("Saguaro Appliance Repair", "us_phx"),
    "KC": ("Kettle & Crane Heating", "uk_lds"),
}
REGION = {  # utc offset (standard time, Nov/Dec), area codes
    "us_den": (-7, ["303", "720", "303", "970"]),
    "us_atl": (-5, ["404", "770", "678", "470"]),
    "us_phx": (-7, ["602", "480", "602", "623"]),
    "uk_lds": (0, None),
}
STYLES = [("std", 52), ("swap", 12), ("spk", 9), ("spkr", 5), ("caller", 9), ("allc", 6), ("unk", 7)]
MAP = {
    "std": {"a": "agent", "c": "customer", "s": "agent"},
    "swap": {"a": "customer", "c": "agent", "s": "customer"},
    "spk": {"a": "spk_0", "c": "spk_1", "s": "spk_0"},
    "spkr": {"a": "spk_1", "c": "spk_0", "s": "spk_1"},
    "caller": {"a": "agent", "c": "caller", "s": "agent"},
    "allc": {"a": "customer", "c": "customer", "s": "customer"},
    "unk": {"a": "agent", "c": "unknown", "s": "unknown"},
}
KIND_RE = re.compile(r"^[a-z][a-z0-9_]*$")


class SrcError(Exception):
    pass


def parse(path):
    calls, cur = [], None
    for n, raw in enumerate(open(path, encoding="utf-8"), 1):
        line = raw.rstrip("\n").strip()
        if not line or line.startswith("//"):
            continue
        where = f"{os.path.basename(path)}:{n}"
        if line.startswith("# "):
            parts = [p.strip() for p in line[2:].split("|")]
            if len(parts) < 7:
                raise SrcError(f"{where}: header needs 7-8 fields")
            cur = {"num": parts[0], "code": parts[1], "exp": parts[2], "name": parts[3],
                   "type": parts[4], "csr": parts[5], "notes": parts[6],
                   "opts": dict(o.split("=", 1) for o in (parts[7].split() if len(parts) > 7 else [])),
                   "label": None, "segs": [], "where": where}
            calls.append(cur)
        elif cur is None:
            raise SrcError(f"{where}: text before first header")
        elif line.startswith("L "):
            head, _, why = line[2:].partition("|")
            toks = head.split()
            if len(toks) < 2 or toks[0] not in "+-" or not why.strip():
                raise SrcError(f"{where}: bad label line")
            cur["label"] = {"lead": toks[0] == "+", "kind": toks[1],
                            "hard": "H" in toks[2:], "why": why.strip()}
        elif line[:2] in ("a ", "c ", "s "):
            cur["segs"].append((line[0], line[2:].strip()))
        else:
            raise SrcError(f"{where}: unknown line: {line[:40]}")
    return calls


def seg_len(rng, role, text):
    t = text.strip()
    if t in ("[music]", "[hold music]"):
        return rng.uniform(14, 55)
    if t == "[silence]":
        return rng.uniform(2.5, 9)
    if t in ("[inaudible]", "[crosstalk]", "[noise]", "[beep]", "[ringing]"):
        return rng.uniform(0.6, 2.2)
    words = len(t.split())
    return max(0.7, words / rng.uniform(2.3, 3.1) + rng.uniform(0.1, 0.5))


def phone(rng, region):
    if region == "uk_lds":
        if rng.random() < 0.6:
            return f"+44 7700 900{rng.randint(0, 999):03d}"
        return f"+44 113 496 0{rng.randint(0, 999):03d}"
    ac = rng.choice(REGION[region][1][:3] if rng.random() < 0.85 else REGION[region][1])
    n = rng.randint(100, 199)
    fmt = rng.random()
    if fmt < 0.6:
        return f"({ac}) 555-01{n % 100:02d}"
    if fmt < 0.8:
        return f"+1{ac}55501{n % 100:02d}"
    return f"{ac}-555-01{n % 100:02d}"


def build_call(c, profile_names):
    where = c["where"]
    if c["code"] not in BRANDS:
        raise SrcError(f"{where}: unknown brand code {c['code']}")
    brand, region = BRANDS[c["code"]]
    if brand not in profile_names:
        raise SrcError(f"{where}: brand {brand} not in profile.toml")
    if c["label"] is None:
        raise SrcError(f"{where}: no label")
    if not KIND_RE.match(c["label"]["kind"]):
        raise SrcError(f"{where}: kind not snake_case")
    if len(c["segs"]) < 2 or len(c["segs"]) > 40:
        raise SrcError(f"{where}: {len(c['segs'])} segments (2..40 allowed)")
    if c["exp"] not in ("y", "n"):
        raise SrcError(f"{where}: export-brand flag must be y/n")
    rng = random.Random(f"{SEED}-{c['num']}")
    style = c["opts"].get("spk")
    if style is None:
        style = rng.choices([s for s, _ in STYLES], [w for _, w in STYLES])[0]
    if style not in MAP:
        raise SrcError(f"{where}: unknown spk style {style}")
    off_h, _ = REGION[region]
    tz = dt.timezone(dt.timedelta(hours=off_h))
    if "d" in c["opts"]:
        day = dt.date.fromisoformat(c["opts"]["d"])
    else:
        day = dt.date(2026, 11, 3) + dt.timedelta(days=rng.randint(0, 29))
    if "t" in c["opts"]:
        hh, mm = (int(x) for x in c["opts"]["t"].split(":"))
    else:
        hh, mm = rng.randint(7, 18), rng.randint(0, 59)
    start = dt.datetime(day.year, day.month, day.day, hh, mm, rng.randint(0, 59), tzinfo=tz)
    t = round(rng.uniform(0.0, 1.2), 1)
    segs = []
    for role, text in c["segs"]:
        d = seg_len(rng, role, text)
        s0, s1 = round(t, 1), round(t + d, 1)
        if s1 <= s0:
            s1 = s0 + 0.1
        segs.append({"speaker": MAP[style][role], "start": s0, "end": round(s1, 1), "text": text})
        t = s1 + rng.uniform(0.15, 1.1)
    end = start + dt.timedelta(seconds=round(segs[-1]["end"] + rng.uniform(0.4, 3.0)))
    out = {"external_id": f"{PREFIX}-{int(c['num']):04d}", "direction": "inbound"}
    if c["exp"] == "y":
        out["brand"] = brand
    out.update({
        "customer_phone": phone(rng, region),
        "customer_name": c["name"],
        "started_at": start.isoformat(),
        "ended_at": end.isoformat(),
        "call_type": c["type"],
        "csr": c["csr"],
        "csr_notes": c["notes"],
        "job_booked": False,
        "recording": None,
        "transcript": segs,
        "label": {"lead": c["label"]["lead"], "brand": brand, "kind": c["label"]["kind"],
                  "hard": c["label"]["hard"], "why": c["label"]["why"], "writer": WRITER},
    })
    return out


def validate(out, seen):
    req = ["external_id", "direction", "customer_phone", "customer_name", "started_at",
           "ended_at", "call_type", "csr", "csr_notes", "job_booked", "recording",
           "transcript", "label"]
    for k in req:
        if k not in out:
            raise SrcError(f"{out.get('external_id')}: missing {k}")
    if out["external_id"] in seen:
        raise SrcError(f"duplicate id {out['external_id']}")
    seen.add(out["external_id"])
    assert out["direction"] == "inbound" and out["job_booked"] is False
    assert out["customer_phone"], out["external_id"]
    s = dt.datetime.fromisoformat(out["started_at"])
    e = dt.datetime.fromisoformat(out["ended_at"])
    dur = (e - s).total_seconds()
    prev = -1.0
    for seg in out["transcript"]:
        if not (seg["start"] >= prev and seg["end"] > seg["start"] and seg["end"] <= dur):
            raise SrcError(f"{out['external_id']}: bad segment timing {seg}")
        if not seg["text"]:
            raise SrcError(f"{out['external_id']}: empty segment")
        prev = seg["end"]
    lab = out["label"]
    for k in ("lead", "brand", "kind", "hard", "why", "writer"):
        if k not in lab:
            raise SrcError(f"{out['external_id']}: label missing {k}")


def render():
    profile = tomllib.load(open(os.path.join(HERE, "profile.toml"), "rb"))
    names = {b["name"] for b in profile["brand"]}
    calls = []
    for path in sorted(glob.glob(os.path.join(HERE, "src", "batch_*.txt"))):
        calls.extend(parse(path))
    outs, seen = [], set()
    for c in calls:
        o = build_call(c, names)
        validate(o, seen)
        outs.append(o)
    outs.sort(key=lambda o: o["external_id"])
    text = "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in outs)
    return outs, text


def summary(outs):
    from collections import Counter
    n = len(outs)
    leads = sum(o["label"]["lead"] for o in outs)
    hard = sum(o["label"]["hard"] for o in outs)
    print(f"calls {n}  leads {leads} ({100*leads/max(n,1):.0f}%)  hard {hard} ({100*hard/max(n,1):.0f}%)"
          f"  export-brand present {sum('brand' in o for o in outs)}")
    for b, k in Counter(o["label"]["brand"] for o in outs).most_common():
        bl = sum(o["label"]["lead"] for o in outs if o["label"]["brand"] == b)
        print(f"  {b}: {k} calls, {bl} leads")
    kinds = Counter((o["label"]["lead"], o["label"]["kind"]) for o in outs)
    for (lead, k), v in sorted(kinds.items(), key=lambda x: (not x[0][0], -x[1], x[0][1])):
        print(f"  {'lead' if lead else 'not '} {k}: {v}")


def main():
    try:
        outs, text = render()
    except (SrcError, AssertionError) as e:
        print("ERROR:", e, file=sys.stderr)
        sys.exit(2)
    dest = os.path.join(HERE, "calls.jsonl")
    if "--check" in sys.argv:
        cur = open(dest, encoding="utf-8").read() if os.path.exists(dest) else None
        if cur != text:
            print("calls.jsonl is stale", file=sys.stderr)
            sys.exit(1)
        print("calls.jsonl up to date")
        return
    with open(dest, "w", encoding="utf-8") as f:
        f.write(text)
    summary(outs)


if __name__ == "__main__":
    main()
