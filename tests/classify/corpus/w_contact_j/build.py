#!/usr/bin/env python3
"""Build calls.jsonl from src/batch_*.txt (writer w_contact_j). Stdlib only.

Source format (one call):
  == WCJ-0001 <brandkey> <+|-> <L|N> <H|.> <kind>
  m: name=...; type=...; csr=...; notes=...      (optional)
  w: why sentence
  [+gap] [=dur] SPEAKER: text
brandkey: gb sp sg ds pt.  '+' = export carries the brand field, '-' = it does not.
"""
import json, random, re, sys, os, glob, datetime

HERE = os.path.dirname(os.path.abspath(__file__))
WRITER = "w_contact_j"
BRANDS = {
    "gb": ("Gulfbreeze Air & Plumbing", "-05:00", ["813", "727"]),
    "sp": ("Sunshield Pest Defense", "-05:00", ["813", "407", "863"]),
    "sg": ("Saguaro Pool & Spa", "-07:00", ["602", "480", "623"]),
    "ds": ("Desert Spring Water", "-07:00", ["480"]),
    "pt": ("Peachtree Power & Generators", "-05:00", ["404", "770", "678"]),
}
FIRST = ["Dana", "Luis", "Marisol", "Keith", "Brenda", "Tom", "Yolanda", "Raj", "Carmen", "Gerald",
         "Hector", "Tasha", "Phil", "Lupe", "Denise", "Omar", "Rosa", "Walt", "Kim", "Andre",
         "Gloria", "Ben", "Nadia", "Chuck", "Elena", "Marcus", "Pat", "Ines", "Doug", "Shonda"]
LAST = ["Whitfield", "Ortega", "Nguyen", "Baxter", "Alvarez", "Simmons", "Pruitt", "Delgado", "Kowalski",
        "Haynes", "Ramirez", "Okafor", "Brandt", "Castillo", "Monroe", "Fitzgerald", "Soto", "Greer",
        "Patel", "Holloway", "Vega", "Dunn", "Medina", "Tran", "Barnes"]
CSRS = ["jmartinez", "tbrooks", "amendez", "kreilly", "dlopez", "sowens", "mchen", "rgarcia", "lpatel", "bwhite"]
TYPES = ["Service", "Service", "Inbound", "New Customer", "General", "Sales", "Unknown"]

def parse_profile():
    names = []
    for line in open(os.path.join(HERE, "profile.toml"), encoding="utf-8"):
        m = re.match(r'\s*name\s*=\s*"([^"]+)"', line)
        if m:
            names.append(m.group(1))
    return names

def fail(msg):
    print("ERROR:", msg, file=sys.stderr)
    sys.exit(2)

def parse_batches():
    calls = []
    files = sorted(glob.glob(os.path.join(HERE, "src", "batch_*.txt")))
    for fn in files:
        cur = None
        for ln, raw in enumerate(open(fn, encoding="utf-8"), 1):
            line = raw.rstrip("\n")
            where = "%s:%d" % (os.path.basename(fn), ln)
            if not line.strip() or line.startswith("#"):
                continue
            if line.startswith("== "):
                p = line[3:].split()
                if len(p) != 6 or p[1] not in BRANDS or p[2] not in "+-" or p[3] not in "LN" or p[4] not in "H.":
                    fail(where + ": bad header")
                cur = {"id": p[0], "bk": p[1], "show": p[2] == "+", "lead": p[3] == "L",
                       "hard": p[4] == "H", "kind": p[5], "meta": {}, "why": None, "segs": [], "where": where}
                calls.append(cur)
                continue
            if cur is None:
                fail(where + ": text before first header")
            if line.startswith("m: "):
                for kv in line[3:].split(";"):
                    if kv.strip():
                        k, _, v = kv.partition("=")
                        cur["meta"][k.strip()] = v.strip()
                continue
            if line.strip() == "s: clean":
                cur["clean"] = True
                continue
            if line.startswith("w: "):
                cur["why"] = line[3:].strip()
                continue
            gap = dur = None
            rest = line.strip()
            while True:
                m = re.match(r"([+=])(\d+(?:\.\d+)?)\s+", rest)
                if not m:
                    break
                if m.group(1) == "+":
                    gap = float(m.group(2))
                else:
                    dur = float(m.group(2))
                rest = rest[m.end():]
            m = re.match(r"([A-Za-z][A-Za-z0-9_ ]{0,20}):\s(.*)$", rest)
            if not m or not m.group(2).strip():
                fail(where + ": bad segment line: " + line[:60])
            cur["segs"].append((m.group(1), m.group(2).strip(), gap, dur))
    return calls

PROPER = ["gulfbreeze air and plumbing", "gulfbreeze", "gulf breeze", "sunshield pest defense", "sunshield",
          "saguaro pool and spa", "saguaro", "desert spring water", "peachtree power and generators", "peachtree power",
          "peachtree", "st pete", "st. petersburg", "san petersburgo", "wesley chapel", "winter park", "paradise valley",
          "queen creek", "sandy springs", "home depot", "lowe's", "walmart", "amazon", "google", "tesla", "generac",
          "kohler", "carrier", "rheem", "hayward", "pentair", "raypak", "culligan", "terminix", "georgia power",
          "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "lunes", "martes",
          "miércoles", "jueves", "viernes", "sábado", "domingo", "german", "spanish", "english", "visa", "mastercard",
          "jenny", "sam", "andre", "mike", "kevin", "priya", "tony", "linda", "ana", "marco", "daniela", "carlos",
          "beth", "luis", "marcus", "tori", "mateo", "kayla", "desmond", "greg", "renee", "trent", "martha"]
ABBR = {"a c": "AC", "ac": "AC", "r o": "RO", "h o a": "HOA", "hoa": "HOA", "gfci": "GFCI", "gfi": "GFI",
        "ev": "EV", "hvac": "HVAC", "wdo": "WDO", "cpap": "CPAP", "c pap": "CPAP", "h r": "HR", "ok": "OK"}

def cleanup(text, towns):
    """Render a transcript line the way a cleaner (punctuating) recognizer delivers it."""
    s = text
    for w in sorted(PROPER + towns, key=len, reverse=True):
        s = re.sub(r"(?<![\w'])" + re.escape(w) + r"(?![\w'])", lambda m: " ".join(
            x[:1].upper() + x[1:] if x not in ("and", "de") else x for x in m.group(0).split(" ")), s, flags=re.I)
    for k, v in ABBR.items():
        s = re.sub(r"(?<![\w'])" + re.escape(k) + r"(?![\w'])", v, s)
    s = re.sub(r"(?<![\w'])i(?=('m|'ll|'ve|'d)?(?![\w']))", "I", s)
    s = re.sub(r"(^|[.?!¿¡]\s+|^¿|^¡)([a-zñáéíóú])", lambda m: m.group(1) + m.group(2).upper(), s)
    s = re.sub(r"^([¿¡])([a-zñáéíóú])", lambda m: m.group(1) + m.group(2).upper(), s)
    if s and s[-1] not in ".?!…]":
        s += "?" if re.match(r"(?i)(is|are|do|does|can|could|what|how|when|where|who|why|will|would|did)\b", s) else "."
    return s

def build():
    names = parse_profile()
    towns = []
    for line in open(os.path.join(HERE, "profile.toml"), encoding="utf-8"):
        if line.startswith("area"):
            towns += [x.lower() for x in re.findall(r'"([^"0-9]+)"', line)]
    calls = parse_batches()
    out, seen = [], set()
    for c in calls:
        rnd = random.Random("wcj:" + c["id"])
        brand, tz, codes = BRANDS[c["bk"]]
        if brand not in names:
            fail(c["where"] + ": brand not in profile.toml: " + brand)
        if c["id"] in seen:
            fail(c["where"] + ": duplicate id " + c["id"])
        seen.add(c["id"])
        if not re.match(r"^[a-z][a-z0-9_]*$", c["kind"]):
            fail(c["where"] + ": kind not snake_case")
        if not c["why"]:
            fail(c["where"] + ": missing why")
        if not (2 <= len(c["segs"]) <= 45):
            fail(c["where"] + ": %d segments" % len(c["segs"]))
        t, segs = 0.0, []
        for i, (spk, text, gap, dur) in enumerate(c["segs"]):
            if c.get("clean") and spk not in ("IVR", "SYSTEM") and not text.startswith("["):
                text = cleanup(text, towns)
            t += gap if gap is not None else (0.0 if i == 0 else rnd.uniform(0.15, 0.9))
            if dur is None:
                dur = max(0.7, len(text.split()) * rnd.uniform(0.3, 0.42))
            s = round(t, 2); e = round(t + dur, 2)
            segs.append({"speaker": spk, "start": s, "end": e, "text": text})
            t = e
        for a, b in zip(segs, segs[1:]):
            if b["start"] < a["end"] or a["end"] < a["start"]:
                fail(c["where"] + ": segments out of order")
        day = datetime.date(2026, 11, 2) + datetime.timedelta(days=rnd.randrange(0, 31))
        start = datetime.datetime(day.year, day.month, day.day, rnd.randrange(7, 19), rnd.randrange(60), rnd.randrange(60))
        end = start + datetime.timedelta(seconds=int(t) + rnd.randrange(2, 9))
        meta = c["meta"]
        phone = "(%s) 555-01%02d" % (rnd.choice(codes), rnd.randrange(100))
        name = meta.get("name", rnd.choice(FIRST) + " " + rnd.choice(LAST) if rnd.random() < 0.8 else "")
        rec = {"external_id": c["id"], "direction": "inbound"}
        if c["show"]:
            rec["brand"] = brand
        rec.update({
            "customer_phone": meta.get("phone", phone),
            "customer_name": name or None,
            "started_at": start.isoformat() + tz,
            "ended_at": end.isoformat() + tz,
            "call_type": meta.get("type", rnd.choice(TYPES)),
            "csr": meta.get("csr", rnd.choice(CSRS)),
            "csr_notes": meta.get("notes", ""),
            "job_booked": False,
            "recording": None,
            "transcript": segs,
            "label": {"lead": c["lead"], "brand": brand, "kind": c["kind"], "hard": c["hard"],
                      "why": c["why"], "writer": WRITER},
        })
        for k in ("external_id", "direction", "customer_phone", "started_at", "ended_at", "transcript", "label"):
            if rec.get(k) in (None, "", []):
                fail(c["where"] + ": missing " + k)
        out.append(json.dumps(rec, ensure_ascii=False))
    return "\n".join(out) + "\n", calls

def main():
    text, calls = build()
    path = os.path.join(HERE, "calls.jsonl")
    if "--check" in sys.argv:
        old = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
        if old != text:
            print("calls.jsonl is stale; run python3 build.py")
            sys.exit(1)
        print("calls.jsonl up to date (%d calls)" % len(calls))
        return
    open(path, "w", encoding="utf-8").write(text)
    n = len(calls); L = sum(c["lead"] for c in calls); H = sum(c["hard"] for c in calls)
    print("wrote %d calls: %d leads (%.0f%%), %d hard (%.0f%%)" % (n, L, 100.0 * L / max(n, 1), H, 100.0 * H / max(n, 1)))
    if "-v" in sys.argv:
        from collections import Counter
        for k, v in sorted(Counter(BRANDS[c["bk"]][0] for c in calls).items()):
            print("  brand", k, v)
        for k, v in sorted(Counter((c["kind"], c["lead"]) for c in calls).items()):
            print("  kind %-32s %s %d" % (k[0], "lead" if k[1] else "not ", v))

if __name__ == "__main__":
    main()
