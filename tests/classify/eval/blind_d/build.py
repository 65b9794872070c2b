#!/usr/bin/env python3
"""Build calls.jsonl from src/batch_*.txt (writer blind_d). Stdlib only, deterministic.

Source format (one block per call):
  ## BLD-0001
  b: RH            brand alias; prefix '-' = brand field absent in export (true brand still RH)
  L: y h kind      lead y/n, hard h/-, kind (snake_case)
  why: ...
  n: caller name   ('-' = null)
  t: call type     csr: user   note: csr notes ('-' = empty)
  when: day|night|weekend (optional)   spk: std|swap|01|10|cust|unk|caller (optional)
  then transcript lines  A: / C: / X:  (agent / customer / system: ivr, greeting, music)
  optional trailing '@N' on a line = segment lasts N seconds.
"""
import json, random, re, sys, tomllib, zlib, datetime, glob, os, collections

HERE = os.path.dirname(os.path.abspath(__file__))
ALIAS = {"RH": "Ridgeline Heating & Air", "BW": "Brightwater Plumbing & Drain",
         "SP": "Sentry Pest Solutions", "SR": "Summit Roofing & Gutters",
         "HA": "Hometown Appliance Repair", "LG": "Liberty Garage Doors",
         "VE": "Volt Electric Co."}
AREA = {"RH": ["614", "380"], "BW": ["614", "380"], "SP": ["614", "740", "937"],
        "SR": ["614", "740"], "HA": ["513"], "LG": ["937"], "VE": ["614", "380"]}
SPK = {"std": ("agent", "customer", "unknown"), "swap": ("customer", "agent", "unknown"),
       "01": ("spk_0", "spk_1", "spk_0"), "10": ("spk_1", "spk_0", "spk_1"),
       "cust": ("customer", "customer", "customer"), "unk": ("unknown", "unknown", "unknown"),
       "caller": ("agent", "caller", "agent")}
WRITER = "blind_d"


def fail(msg):
    print("ERROR:", msg, file=sys.stderr)
    sys.exit(2)


def parse(path):
    calls, cur = [], None
    for ln, raw in enumerate(open(path, encoding="utf-8"), 1):
        line = raw.rstrip("\n")
        if not line.strip() or line.startswith("#!"):
            continue
        if line.startswith("## "):
            cur = {"id": line[3:].strip(), "h": {}, "segs": [], "where": f"{path}:{ln}"}
            calls.append(cur)
            continue
        if cur is None:
            fail(f"{path}:{ln}: text before first call")
        m = re.match(r"^([ACX]):\s?(.*)$", line)
        if m:
            cur["segs"].append((m.group(1), m.group(2).strip()))
            continue
        m = re.match(r"^(b|L|why|n|t|csr|note|when|spk|tz|asr):\s*(.*)$", line)
        if m and not cur["segs"]:
            cur["h"][m.group(1)] = m.group(2).strip()
            continue
        if cur["segs"]:  # continuation of previous segment
            k, t = cur["segs"][-1]
            cur["segs"][-1] = (k, t + " " + line.strip())
            continue
        fail(f"{path}:{ln}: cannot parse: {line!r}")
    return calls


def phone(rng, alias):
    ac = rng.choice(AREA[alias])
    n = rng.randint(100, 199)
    fmt = rng.random()
    if fmt < 0.7:
        return f"({ac}) 555-01{n - 100:02d}"
    if fmt < 0.85:
        return f"+1{ac}55501{n - 100:02d}"
    return f"{ac}-555-01{n - 100:02d}"


MISHEAR = [("furnaces", "furnace is"), ("plumber", "plum her"), ("heat pump", "he pump"),
           ("thermostat", "thermal stat"), ("garbage disposal", "garbage disposable"),
           ("water heater", "water heeder"), ("capacitor", "capacity her"), ("condenser", "condenses her"),
           ("termites", "term mites"), ("duct", "duck"), ("opener", "open her"), ("tankless", "thankless"),
           ("igniter", "ignite her"), ("compressor", "compress or"), ("faucet", "fosset"),
           ("gutters", "gutter's"), ("sewer", "sower"), ("breaker", "braker"), ("estimate", "a steam it"),
           ("diagnostic", "diagnostics"), ("schedule", "sked jewel"), ("appointment", "a point meant"),
           ("air conditioner", "air condition her"), ("skylight", "sky light"), ("exterminator", "extra minute her")]
BRAND_EAR = {"ridgeline": ["ridge line", "rich line", "ridge lyin"], "brightwater": ["bright water", "bright walter"],
             "sentry": ["century", "sentri"], "summit": ["some it", "summon"], "hometown": ["home town", "hometown"],
             "liberty": ["liberty", "liberal tea"], "volt": ["vault", "bolt", "volts"]}
FILLERS = ["uh", "um", "you know", "like", "uh uh", "so um", "i mean"]


def asr_noise(segs, rng):
    """Deterministic speech-recognition artifacts: mishears, odd splits, diarization bleed, fillers."""
    segs = [list(x) for x in segs]
    # brand name misheard in the greeting
    if rng.random() < 0.3:
        for sg in segs[:3]:
            for k, alts in BRAND_EAR.items():
                if k in sg[1]:
                    sg[1] = sg[1].replace(k, rng.choice(alts), 1)
    # trade words misheard
    for sg in segs:
        if sg[0] == "X":
            continue
        for a, b in MISHEAR:
            if re.search(r"\b" + a + r"\b", sg[1]) and rng.random() < 0.3:
                sg[1] = re.sub(r"\b" + a + r"\b", b, sg[1], count=1)
    # filler words in a customer turn
    if rng.random() < 0.35:
        cs = [sg for sg in segs if sg[0] == "C" and len(sg[1].split()) > 4]
        if cs:
            sg = rng.choice(cs)
            w = sg[1].split()
            num = set("zero oh one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
                      "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty "
                      "ninety hundred thousand".split())
            pos = [p for p in range(1, len(w)) if w[p - 1] not in num and w[p] not in num]
            if pos:
                w.insert(rng.choice(pos), rng.choice(FILLERS))
                sg[1] = " ".join(w)
    # diarization bleed: tail of an agent turn lands in the next customer turn
    if rng.random() < 0.15:
        idx = [i for i in range(len(segs) - 1) if segs[i][0] == "A" and segs[i + 1][0] == "C"
               and len(segs[i][1].split()) >= 9]
        if idx:
            i = rng.choice(idx)
            w = segs[i][1].split()
            k = rng.randint(2, 3)
            segs[i][1] = " ".join(w[:-k])
            segs[i + 1][1] = " ".join(w[-k:]) + " " + segs[i + 1][1]
    # run-on segment split at an odd place
    if rng.random() < 0.45:
        idx = [i for i, sg in enumerate(segs) if sg[0] != "X" and len(sg[1].split()) >= 14]
        if idx:
            i = rng.choice(idx)
            w = segs[i][1].split()
            k = rng.randint(int(len(w) * 0.3), int(len(w) * 0.7))
            segs[i:i + 1] = [[segs[i][0], " ".join(w[:k])], [segs[i][0], " ".join(w[k:])]]
    # some engines drop apostrophes
    if rng.random() < 0.25:
        for sg in segs:
            sg[1] = sg[1].replace("'", "")
    return [tuple(x) for x in segs]


def build_call(c, brands):
    h, cid = c["h"], c["id"]
    for k in ("b", "L", "why", "n", "t", "csr"):
        if k not in h:
            fail(f"{c['where']}: {cid} missing header {k}")
    if not re.fullmatch(r"BLD-\d{4}", cid):
        fail(f"{c['where']}: bad id {cid}")
    rng = random.Random(zlib.crc32(cid.encode()) ^ 0x5EED)
    b = h["b"]
    absent = b.startswith("-")
    alias = b.lstrip("-")
    if alias not in ALIAS or ALIAS[alias] not in brands:
        fail(f"{c['where']}: unknown brand {b}")
    Lp = h["L"].split()
    if len(Lp) != 3 or Lp[0] not in "yn" or Lp[1] not in ("h", "-") or not re.fullmatch(r"[a-z][a-z0-9_]*", Lp[2]):
        fail(f"{c['where']}: bad L line {h['L']}")
    if not c["segs"]:
        fail(f"{c['where']}: no transcript")
    spk = SPK.get(h.get("spk", "std"))
    if spk is None:
        fail(f"{c['where']}: bad spk")
    # start time
    day = datetime.date(2026, 11, 2) + datetime.timedelta(days=rng.randint(0, 31))
    when = h.get("when", "day")
    if when == "night":
        hour = rng.choice([19, 20, 21, 22, 23, 5, 6])
    elif when == "weekend":
        while day.weekday() < 5:
            day += datetime.timedelta(days=1)
        hour = rng.randint(8, 17)
    else:
        while day.weekday() == 6:
            day += datetime.timedelta(days=1)
        hour = rng.randint(7, 18)
    tz = datetime.timezone(datetime.timedelta(hours=-5))
    start = datetime.datetime(day.year, day.month, day.day, hour, rng.randint(0, 59), rng.randint(0, 59), tzinfo=tz)
    t = round(rng.uniform(0.0, 1.2), 1)
    raw = c["segs"]
    if h.get("asr", "on") != "off":
        raw = asr_noise(raw, random.Random(zlib.crc32(cid.encode()) ^ 0xA5A5))
    segs = []
    for who, text in raw:
        m = re.search(r"\s*@(\d+(?:\.\d+)?)$", text)
        if m:
            dur = float(m.group(1))
            text = text[:m.start()].strip()
        else:
            words = max(1, len(text.split()))
            dur = words * rng.uniform(0.28, 0.42) + rng.uniform(0.3, 0.9)
        if not text:
            fail(f"{c['where']}: empty segment")
        s = round(t, 1)
        e = round(t + dur, 1)
        if e <= s:
            e = round(s + 0.5, 1)
        sp = {"A": spk[0], "C": spk[1], "X": spk[2]}[who]
        segs.append({"speaker": sp, "start": s, "end": e, "text": text})
        t = e + rng.uniform(0.1, 1.4)
    end = start + datetime.timedelta(seconds=int(segs[-1]["end"] + rng.uniform(1.0, 4.0)) + 1)
    name = h["n"]
    out = {"external_id": cid, "direction": "inbound"}
    if not absent:
        out["brand"] = ALIAS[alias]
    out.update({
        "customer_phone": phone(rng, alias),
        "customer_name": None if name == "-" else name,
        "started_at": start.isoformat(),
        "ended_at": end.isoformat(),
        "call_type": h["t"],
        "csr": None if h["csr"] == "-" else h["csr"],
        "csr_notes": "" if h.get("note", "-") == "-" else h["note"],
        "job_booked": False,
        "recording": None,
        "transcript": segs,
        "label": {"lead": Lp[0] == "y", "brand": ALIAS[alias], "kind": Lp[2],
                  "hard": Lp[1] == "h", "why": h["why"], "writer": WRITER},
    })
    return out


def validate(calls, brands):
    seen = set()
    req = ["external_id", "direction", "customer_phone", "customer_name", "started_at", "ended_at",
           "call_type", "csr", "csr_notes", "job_booked", "recording", "transcript", "label"]
    for c in calls:
        for k in req:
            if k not in c:
                fail(f"{c.get('external_id')}: missing {k}")
        if c["external_id"] in seen:
            fail(f"duplicate id {c['external_id']}")
        seen.add(c["external_id"])
        assert c["direction"] == "inbound" and c["job_booked"] is False
        if "brand" in c and c["brand"] not in brands:
            fail(f"{c['external_id']}: brand not in profile")
        if c["label"]["brand"] not in brands:
            fail(f"{c['external_id']}: label brand not in profile")
        prev = -1
        for s in c["transcript"]:
            if not (s["start"] >= prev and s["end"] > s["start"]):
                fail(f"{c['external_id']}: segments out of order")
            prev = s["end"]
        st = datetime.datetime.fromisoformat(c["started_at"])
        en = datetime.datetime.fromisoformat(c["ended_at"])
        if (en - st).total_seconds() < c["transcript"][-1]["end"]:
            fail(f"{c['external_id']}: segments outside call")
        if not c["label"]["why"].strip():
            fail(f"{c['external_id']}: empty why")


def render():
    brands = [b["name"] for b in tomllib.load(open(os.path.join(HERE, "profile.toml"), "rb"))["brand"]]
    calls = []
    for p in sorted(glob.glob(os.path.join(HERE, "src", "batch_*.txt"))):
        for c in parse(p):
            calls.append(build_call(c, brands))
    calls.sort(key=lambda c: c["external_id"])
    validate(calls, brands)
    text = "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in calls)
    return calls, text


def stats(calls):
    n = len(calls)
    leads = sum(c["label"]["lead"] for c in calls)
    hard = sum(c["label"]["hard"] for c in calls)
    kinds = collections.Counter((c["label"]["lead"], c["label"]["kind"]) for c in calls)
    br = collections.Counter(c["label"]["brand"] for c in calls)
    return n, leads, hard, kinds, br


def main():
    calls, text = render()
    path = os.path.join(HERE, "calls.jsonl")
    if "--check" in sys.argv:
        old = open(path, encoding="utf-8").read() if os.path.exists(path) else None
        if old != text:
            print("calls.jsonl is stale")
            sys.exit(1)
        print("calls.jsonl is up to date")
        return
    open(path, "w", encoding="utf-8").write(text)
    n, leads, hard, kinds, br = stats(calls)
    print(f"{n} calls, {leads} leads, {n - leads} not leads, {hard} hard")
    if "--stats" in sys.argv:
        for b, k in sorted(br.items()):
            print(f"  brand {b}: {k}")
        for (l, k), v in sorted(kinds.items()):
            print(f"  {'lead' if l else 'not '} {k}: {v}")


if __name__ == "__main__":
    main()
