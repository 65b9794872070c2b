#!/usr/bin/env python3
"""Build calls.jsonl from batches/b*.txt (writer w_uk_ie). Stdlib only.

Source format, one call per block:
  @ WUK-0001 H+ lead kind [hard] [asr] [spk=ac|swap|spk|caller|cust|unk|mix]
  n: caller name | call type | csr | csr notes      (fields may be empty)
  w: why (one sentence)
  A: agent line      C: customer line      S: system/IVR/voicemail line
  X: [marker]        (speaker unknown)
Brand code: H L-heating, M handyman, R roofing, P pest, K locksmith;
'+' = brand field present in the export, '-' = absent.
'asr' = build lowercases and strips punctuation (misheard words are in the source).
python3 build.py          rebuild calls.jsonl
python3 build.py --check  exit 1 when calls.jsonl is stale or invalid
"""
import glob, json, os, random, re, sys, tomllib
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
WRITER = "w_uk_ie"
BRANDS = {"H": "Lagan Heating & Plumbing", "M": "Handy Hands Belfast",
          "R": "Northern Slate Roofing", "P": "Pest Patrol Ulster", "K": "KeyStone Locksmiths"}
CSRS = ["ciara.m", "dmurphy", "gemma_h", "ronan.b", "shauna", "pkelly", "jodie.w", "mcallister", "niamh.o", "stevie_r"]
SPK = {"ac": ("agent", "customer"), "swap": ("customer", "agent"), "spk": ("spk_0", "spk_1"),
       "caller": ("agent", "caller"), "cust": ("customer", "customer"), "unk": ("unknown", "unknown"),
       "spkswap": ("spk_1", "spk_0")}


class BuildError(Exception):
    pass


def parse(path):
    calls, cur = [], None
    for ln, raw in enumerate(open(path, encoding="utf-8"), 1):
        line = raw.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        where = f"{os.path.basename(path)}:{ln}"
        if line.startswith("@ "):
            t = line[2:].split()
            if len(t) < 4:
                raise BuildError(f"{where}: short header")
            cur = {"id": t[0], "b": t[1], "lead": t[2], "kind": t[3], "flags": t[4:], "segs": [], "where": where}
            calls.append(cur)
            continue
        if cur is None:
            raise BuildError(f"{where}: text before header")
        tag, _, txt = line.partition(":")
        txt = txt.strip()
        if tag == "n":
            cur["n"] = [x.strip() for x in txt.split("|")]
        elif tag == "w":
            cur["why"] = txt
        elif tag in ("A", "C", "S", "X"):
            cur["segs"].append((tag, txt))
        else:
            raise BuildError(f"{where}: unknown tag {tag!r}")
    return calls


def asrify(s):
    s = s.lower().replace("£", "").replace("'", "'")
    s = re.sub(r"[^\w\s'\[\]]", " ", s)
    return re.sub(r"\s+", " ", s).strip()


def _last_sunday(year, month):
    d = datetime(year, month, 31)
    return d - timedelta(days=(d.weekday() + 1) % 7)


def bst_start(year):
    return _last_sunday(year, 3)


def bst_end(year):
    return _last_sunday(year, 10)


def phone(rng):
    r = rng.random()
    if r < 0.4:
        return f"+44 7700 900{rng.randint(0, 999):03d}"
    if r < 0.75:
        return f"07700 900{rng.randint(0, 999):03d}"
    if r < 0.9:
        return f"+44 28 9649 6{rng.randint(0, 999):03d}"
    return f"028 9649 6{rng.randint(0, 999):03d}"


def build_call(c, brand_names):
    rng = random.Random("wuk:" + c["id"])
    code, present = c["b"][0], c["b"][1:] == "+"
    if code not in BRANDS or c["b"][1:] not in ("+", "-"):
        raise BuildError(f"{c['where']}: bad brand code {c['b']}")
    brand = BRANDS[code]
    if brand not in brand_names:
        raise BuildError(f"{c['where']}: brand {brand} not in profile.toml")
    if c["lead"] not in ("lead", "not"):
        raise BuildError(f"{c['where']}: lead must be lead|not")
    if not re.fullmatch(r"[a-z][a-z0-9_]*", c["kind"]):
        raise BuildError(f"{c['where']}: kind not snake_case")
    flags = c["flags"]
    hard, asr = "hard" in flags, "asr" in flags
    spk = "ac"
    for f in flags:
        if f.startswith("spk="):
            spk = f[4:]
        elif f not in ("hard", "asr"):
            raise BuildError(f"{c['where']}: unknown flag {f}")
    if spk not in SPK and spk != "mix":
        raise BuildError(f"{c['where']}: bad spk {spk}")
    if not c.get("why"):
        raise BuildError(f"{c['where']}: missing w:")
    if not c["segs"]:
        raise BuildError(f"{c['where']}: no segments")
    n = (c.get("n") or []) + [""] * 4
    name, ctype, csr, notes = n[:4]
    # time: spread over 2026, BST (+01:00) from April to October
    day = datetime(2026, 1, 5) + timedelta(days=rng.randint(0, 325))
    off = 1 if bst_start(day.year) <= day < bst_end(day.year) else 0
    start = day.replace(hour=rng.choice([7, 8, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 21]),
                        minute=rng.randint(0, 59), second=rng.randint(0, 59))
    tz = timezone(timedelta(hours=off))
    start = start.replace(tzinfo=tz)
    t = round(rng.uniform(0.0, 1.5), 1)
    segs = []
    for tag, txt in c["segs"]:
        if tag in ("A", "C") and asr:
            txt = asrify(txt)
        if not txt:
            raise BuildError(f"{c['where']}: empty segment")
        words = max(1, len(txt.split()))
        dur = round(words * rng.uniform(0.28, 0.42) + rng.uniform(0.3, 0.9), 1)
        if tag == "X":
            dur = round(rng.uniform(1.5, 9.0), 1)
        if tag == "A":
            sp = SPK["ac"][0] if spk == "mix" else SPK[spk][0]
        elif tag == "C":
            sp = SPK["ac"][1] if spk == "mix" else SPK[spk][1]
        else:
            sp = "unknown"
        if spk == "mix" and tag in ("A", "C") and rng.random() < 0.3:
            sp = "customer" if tag == "A" else "agent"
        segs.append({"speaker": sp, "start": t, "end": round(t + dur, 1), "text": txt})
        t = round(t + dur + rng.uniform(0.1, 1.2), 1)
    end = start + timedelta(seconds=int(t + rng.uniform(1, 6)))
    out = {"external_id": c["id"], "direction": "inbound"}
    if present:
        out["brand"] = brand
    out.update({
        "customer_phone": phone(rng), "customer_name": name or None,
        "started_at": start.isoformat(), "ended_at": end.isoformat(),
        "call_type": ctype or None, "csr": csr or rng.choice(CSRS), "csr_notes": notes,
        "job_booked": False, "recording": None, "transcript": segs,
        "label": {"lead": c["lead"] == "lead", "brand": brand, "kind": c["kind"], "hard": hard,
                  "why": c["why"], "writer": WRITER}})
    return out


def validate(o):
    req = ["external_id", "direction", "customer_phone", "started_at", "ended_at", "job_booked", "transcript", "label"]
    for k in req:
        if k not in o:
            raise BuildError(f"{o.get('external_id')}: missing {k}")
    if not o["external_id"].startswith("WUK-"):
        raise BuildError(f"{o['external_id']}: bad prefix")
    last = -1.0
    for s in o["transcript"]:
        if s["start"] < last or s["end"] < s["start"]:
            raise BuildError(f"{o['external_id']}: segments out of order")
        last = s["end"]
    a = datetime.fromisoformat(o["started_at"]); b = datetime.fromisoformat(o["ended_at"])
    if (b - a).total_seconds() < last:
        raise BuildError(f"{o['external_id']}: call shorter than transcript")


def build():
    with open(os.path.join(HERE, "profile.toml"), "rb") as f:
        prof = tomllib.load(f)
    names = {b["name"] for b in prof["brand"]}
    rows, seen = [], set()
    for path in sorted(glob.glob(os.path.join(HERE, "batches", "b*.txt"))):
        for c in parse(path):
            if c["id"] in seen:
                raise BuildError(f"{c['where']}: duplicate id {c['id']}")
            seen.add(c["id"])
            o = build_call(c, names)
            validate(o)
            rows.append(o)
    rows.sort(key=lambda o: o["external_id"])
    return rows, "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in rows)


def summary(rows):
    from collections import Counter
    leads = sum(o["label"]["lead"] for o in rows)
    hard = sum(o["label"]["hard"] for o in rows)
    print(f"{len(rows)} calls: {leads} leads, {len(rows)-leads} not, {hard} hard")
    print("brands:", dict(Counter(o["label"]["brand"] for o in rows)))
    kinds = Counter((o["label"]["lead"], o["label"]["kind"]) for o in rows)
    for (l, k), v in sorted(kinds.items(), key=lambda x: (not x[0][0], -x[1], x[0][1])):
        print(f"  {'lead' if l else 'not '} {k}: {v}")


def main():
    try:
        rows, text = build()
    except BuildError as e:
        print("error:", e, file=sys.stderr)
        sys.exit(1)
    out = os.path.join(HERE, "calls.jsonl")
    if "--check" in sys.argv:
        cur = open(out, encoding="utf-8").read() if os.path.exists(out) else None
        if cur != text:
            print("calls.jsonl is stale", file=sys.stderr)
            sys.exit(1)
        print("calls.jsonl up to date")
        return
    with open(out, "w", encoding="utf-8") as f:
        f.write(text)
    summary(rows)


if __name__ == "__main__":
    main()
