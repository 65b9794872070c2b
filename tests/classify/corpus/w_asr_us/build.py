#!/usr/bin/env python3
"""Build calls.jsonl from src/batch_*.txt (writer w_asr_us). Stdlib only.

Source format, one call per block:
  @ 0001 S L kind h          id number, brand code (S P E G), L=lead / N=not, kind, h=hard or -
  n: caller name             optional ("-" = empty)
  t: call type               optional
  csr: user                  optional
  notes: csr notes           optional
  spk: mode                  optional speaker-label mode (normal caller swap spk spkr allcust unknown mixed)
  bf: 1|0                    optional: export carries the brand field
  s: sum|win|any             optional season;  hr: local hour
  why: one sentence
  A: agent line / C: caller line / I: ivr prompt / V: voicemail greeting / X: marker
`python3 build.py` rebuilds, `python3 build.py --check` exits 1 when calls.jsonl is stale.
"""
import hashlib, json, random, sys, tomllib, datetime, glob, os, re, collections

HERE = os.path.dirname(os.path.abspath(__file__))
WRITER = "w_asr_us"
PREFIX = "WAU"
CODES = {"S": "Summit Air Heating and Cooling", "P": "Buckeye Plumbing and Drain",
         "E": "BrightWire Electric", "G": "Lift Right Garage Doors"}
TOKENS = {"S": ["summit"], "P": ["buckeye"], "E": ["bright wire", "brightwire"],
          "G": ["lift right", "liftright"]}
FIRST = ["Dana", "Mike", "Tonya", "Gary", "Shanice", "Brian", "Linda", "Jose", "Heather", "Curtis",
         "Amber", "Raymond", "Keisha", "Doug", "Patty", "Luis", "Megan", "Terrence", "Carol", "Nate",
         "Rhonda", "Tim", "Yolanda", "Kevin", "Stacy", "Earl", "Priya", "Wes", "Brenda", "Omar"]
LAST = ["Whitfield", "Kowalski", "Harris", "Nguyen", "Brooks", "Patel", "Miller", "Jenkins", "Ortiz",
        "Baker", "Simmons", "Hoffman", "Reyes", "Carter", "Yoder", "Lindqvist", "Washington", "Fry",
        "Moreno", "Stahl", "Greene", "Adkins", "Okafor", "Burke", "Tran", "Sloan", "Dietz", "Hayes"]
CSRS = ["kmoore", "jalvarez", "tbrooks", "dpatel", "sreed", "mwalsh", "agreen", "lfoster", "rkim", "bcole"]
TYPES = ["Service", "Service", "Inquiry", "Other", "Unbooked", "Follow Up", "Estimate", "", "Service Call"]
MODES = (["normal"] * 44 + ["caller"] * 6 + ["swap"] * 13 + ["spk"] * 12 + ["spkr"] * 5 +
         ["allcust"] * 8 + ["unknown"] * 5 + ["mixed"] * 7)
REQ = ["external_id", "direction", "customer_phone", "customer_name", "started_at", "ended_at",
       "call_type", "csr", "csr_notes", "job_booked", "recording", "transcript", "label"]


def parse(path):
    calls, cur = [], None
    for ln, raw in enumerate(open(path, encoding="utf-8"), 1):
        line = raw.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("@ "):
            parts = line[2:].split()
            if len(parts) != 5:
                sys.exit(f"{path}:{ln}: header needs 5 fields")
            num, code, lead, kind, hard = parts
            if code not in CODES or lead not in "LN" or hard not in ("h", "-"):
                sys.exit(f"{path}:{ln}: bad header")
            cur = {"num": num, "code": code, "lead": lead == "L", "kind": kind, "hard": hard == "h",
                   "meta": {}, "segs": [], "where": f"{path}:{ln}"}
            calls.append(cur)
            continue
        if cur is None:
            sys.exit(f"{path}:{ln}: text before header")
        m = re.match(r"^(n|t|csr|notes|spk|bf|s|hr|why|A|C|I|V|X):\s?(.*)$", line)
        if not m:
            sys.exit(f"{path}:{ln}: cannot parse: {line[:60]}")
        key, val = m.group(1), m.group(2).strip()
        if key in "ACIVX":
            cur["segs"].append((key, val))
        else:
            cur["meta"][key] = val
    return calls


def speaker(mode, role, rng, idx):
    if role == "X":
        return "customer" if mode == "allcust" else "unknown"
    if role in "IV":
        if mode in ("normal", "caller"):
            return rng.choice(["unknown", "agent", "unknown"])
        role = "A"
    table = {"normal": {"A": "agent", "C": "customer"}, "caller": {"A": "agent", "C": "caller"},
             "swap": {"A": "customer", "C": "agent"}, "spk": {"A": "spk_0", "C": "spk_1"},
             "spkr": {"A": "spk_1", "C": "spk_0"}, "allcust": {"A": "customer", "C": "customer"},
             "unknown": {"A": "unknown", "C": "unknown"}}
    if mode == "mixed":
        r = {"A": "agent", "C": "customer"}[role]
        if rng.random() < 0.3:
            r = "customer" if r == "agent" else "agent"
        return r
    return table[mode][role]


def offset(d):
    return "-04:00" if 4 <= d.month <= 10 or (d.month == 3 and d.day >= 9) else "-05:00"


def render(c):
    eid = f"{PREFIX}-{c['num']}"
    rng = random.Random(int(hashlib.sha256(eid.encode()).hexdigest()[:12], 16))
    meta, code = c["meta"], c["code"]
    brand = CODES[code]
    mode = meta.get("spk") or rng.choice(MODES)
    season = meta.get("s", "win")
    if season == "sum":
        base = datetime.date(2026, 5, 20) + datetime.timedelta(days=rng.randrange(100))
    elif season == "any":
        base = datetime.date(2026, 1, 5) + datetime.timedelta(days=rng.randrange(330))
    else:
        base = datetime.date(2025, 11, 1) + datetime.timedelta(days=rng.randrange(140))
    hour = int(meta["hr"]) if "hr" in meta else rng.choice([8, 9, 9, 10, 10, 11, 12, 13, 14, 15, 16, 17])
    start = datetime.datetime(base.year, base.month, base.day, hour, rng.randrange(60), rng.randrange(60))
    off = offset(base)
    segs, t = [], round(rng.uniform(0.0, 1.8), 1)
    for i, (role, text) in enumerate(c["segs"]):
        words = len(text.split())
        if role == "X":
            dur = rng.uniform(1.5, 7.0)
        else:
            dur = max(0.7, words * rng.uniform(0.28, 0.38) + rng.uniform(0.1, 0.6))
        s, e = round(t, 1), round(t + dur, 1)
        segs.append({"speaker": speaker(mode, role, rng, i), "start": s, "end": e, "text": text})
        t = e + rng.uniform(0.15, 1.3)
    end = start + datetime.timedelta(seconds=int(t + rng.uniform(0.5, 4)))
    first = " ".join(tx for r, tx in c["segs"][:4] if r in "AIV").lower()
    named = any(tok in first for tok in TOKENS[code])
    if "bf" in meta:
        bf = meta["bf"] == "1"
    else:
        bf = rng.random() < 0.5
    if not named and code != "S":
        bf = True
    name = meta.get("n")
    if name is None:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    elif name == "-":
        name = ""
    ac = rng.choice(["614", "614", "614", "380", "740"])
    tail = f"{rng.randrange(100):02d}"
    phone = rng.choice([f"({ac}) 555-01{tail}", f"({ac}) 555-01{tail}", f"{ac}-555-01{tail}", f"+1{ac}55501{tail}"])
    out = {"external_id": eid, "direction": "inbound"}
    if bf:
        out["brand"] = brand
    out.update({
        "customer_phone": phone, "customer_name": name,
        "started_at": start.isoformat() + off, "ended_at": end.isoformat() + off,
        "call_type": meta.get("t", rng.choice(TYPES)), "csr": meta.get("csr", rng.choice(CSRS)),
        "csr_notes": meta.get("notes", ""), "job_booked": False, "recording": None,
        "transcript": segs,
        "label": {"lead": c["lead"], "brand": brand, "kind": c["kind"], "hard": c["hard"],
                  "why": meta.get("why", ""), "writer": WRITER}})
    return out


def validate(calls, brands):
    seen = set()
    for c in calls:
        for k in REQ:
            if k not in c:
                raise SystemExit(f"{c.get('external_id')}: missing {k}")
        eid = c["external_id"]
        if eid in seen:
            raise SystemExit(f"duplicate id {eid}")
        seen.add(eid)
        if c["direction"] != "inbound" or c["job_booked"] is not False:
            raise SystemExit(f"{eid}: direction/job_booked")
        if "brand" in c and c["brand"] not in brands:
            raise SystemExit(f"{eid}: unknown brand {c['brand']}")
        lab = c["label"]
        if lab["brand"] not in brands or not lab["why"] or not re.match(r"^[a-z][a-z0-9_]*$", lab["kind"]):
            raise SystemExit(f"{eid}: bad label {lab}")
        tr = c["transcript"]
        if not (2 <= len(tr) <= 45):
            raise SystemExit(f"{eid}: {len(tr)} segments")
        prev = -1.0
        for s in tr:
            if not s["text"] or s["start"] < prev or s["end"] < s["start"]:
                raise SystemExit(f"{eid}: segment order {s}")
            prev = s["end"]
        a = datetime.datetime.fromisoformat(c["started_at"])
        b = datetime.datetime.fromisoformat(c["ended_at"])
        if (b - a).total_seconds() < tr[-1]["end"]:
            raise SystemExit(f"{eid}: call shorter than transcript")


def build():
    prof = tomllib.load(open(os.path.join(HERE, "profile.toml"), "rb"))
    brands = {b["name"] for b in prof["brand"]}
    assert set(CODES.values()) == brands
    raw = []
    for p in sorted(glob.glob(os.path.join(HERE, "src", "batch_*.txt"))):
        raw.extend(parse(p))
    calls = [render(c) for c in raw]
    calls.sort(key=lambda c: c["external_id"])
    validate(calls, brands)
    text = "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in calls)
    return calls, text


def main():
    calls, text = build()
    path = os.path.join(HERE, "calls.jsonl")
    if "--check" in sys.argv:
        old = open(path, encoding="utf-8").read() if os.path.exists(path) else None
        if old != text:
            print("calls.jsonl is stale")
            sys.exit(1)
        print(f"ok: {len(calls)} calls")
        return
    open(path, "w", encoding="utf-8").write(text)
    leads = sum(c["label"]["lead"] for c in calls)
    hard = sum(c["label"]["hard"] for c in calls)
    print(f"{len(calls)} calls: {leads} leads, {len(calls) - leads} not, {hard} hard")
    if "--stats" in sys.argv:
        bybrand = collections.Counter(c["label"]["brand"] for c in calls)
        kinds = collections.Counter((c["label"]["lead"], c["label"]["kind"]) for c in calls)
        for b, n in bybrand.most_common():
            print(f"  {b}: {n}")
        for (l, k), n in sorted(kinds.items(), key=lambda x: (not x[0][0], -x[1], x[0][1])):
            print(f"  {'lead' if l else 'not '} {k}: {n}")
        modes = sum(1 for c in calls if any(s["speaker"] not in ("agent", "customer", "caller", "unknown") or False for s in c["transcript"]))
        print(f"  calls with spk_ labels: {modes}")


if __name__ == "__main__":
    main()
