#!/usr/bin/env python3
"""Build calls.jsonl from src/batch_*.txt (writer w_vm_es). Stdlib only, deterministic.

Source format (one call per block):
    # P | b | L | kind | H        brand code | b=brand in export, -=absent | L/N | kind | H=hard, E=easy
    @ name Dana Whitfield         optional meta lines: name, type, csr, notes, ah (after hours), why
    agent: text                   segment: speaker[ duration]: text
    unknown 18: [music]
Blocks are numbered in file order: WVE-0001, WVE-0002, ...
"""
import hashlib, json, random, sys, tomllib, datetime, os, glob

HERE = os.path.dirname(os.path.abspath(__file__))
WRITER = "w_vm_es"
PREFIX = "WVE"
CODES = {"P": "Saguaro Pest Defense", "W": "Blue Mesa Pool & Spa",
         "A": "Rio Grande Appliance Repair", "H": "Sun Valley Comfort"}
AREA = {"P": ["480", "602", "623"], "W": ["520"], "A": ["505"], "H": ["915", "575"]}
SPEAKERS = {"agent", "customer", "unknown", "caller", "spk_0", "spk_1", "spk_2"}
CSRS = ["mgallegos", "tnguyen", "rortiz", "kbaca", "dlopez", "jchee", "avaldez", "sbrennan"]
CALLERID = ["WIRELESS CALLER", "UNKNOWN", "", "TUCSON AZ", "PHOENIX AZ", "LAS CRUCES NM",
            "ALBUQUERQUE NM", "EL PASO TX", "MESA AZ", "V123 CALLER"]


def die(msg):
    print("ERROR:", msg, file=sys.stderr)
    sys.exit(2)


def parse(path):
    blocks, cur = [], None
    for n, raw in enumerate(open(path, encoding="utf-8"), 1):
        line = raw.rstrip("\n")
        if not line.strip():
            continue
        where = f"{os.path.basename(path)}:{n}"
        if line.startswith("# "):
            parts = [p.strip() for p in line[2:].split("|")]
            if len(parts) != 5:
                die(f"{where}: header needs 5 fields")
            code, show, lead, kind, hard = parts
            if code not in CODES or show not in ("b", "-") or lead not in ("L", "N") or hard not in ("H", "E"):
                die(f"{where}: bad header {line!r}")
            cur = {"where": where, "code": code, "show": show == "b", "lead": lead == "L",
                   "kind": kind, "hard": hard == "H", "meta": {}, "segs": []}
            blocks.append(cur)
        elif line.startswith("@ "):
            if cur is None:
                die(f"{where}: meta before header")
            k, _, v = line[2:].partition(" ")
            cur["meta"][k] = v.strip()
        else:
            if cur is None:
                die(f"{where}: segment before header")
            spk, sep, text = line.partition(":")
            if not sep:
                die(f"{where}: segment without ':'")
            bits = spk.split()
            if not bits or bits[0] not in SPEAKERS:
                die(f"{where}: unknown speaker {spk!r}")
            dur = float(bits[1]) if len(bits) > 1 else None
            cur["segs"].append((bits[0], dur, text.strip(), where))
    return blocks


def build():
    prof = tomllib.load(open(os.path.join(HERE, "profile.toml"), "rb"))
    names = {b["name"] for b in prof["brand"]}
    for c, nm in CODES.items():
        if nm not in names:
            die(f"brand {nm} not in profile.toml")
    files = sorted(glob.glob(os.path.join(HERE, "src", "batch_*.txt")))
    out, ids = [], set()
    i = 0
    for f in files:
        for b in parse(f):
            i += 1
            eid = f"{PREFIX}-{i:04d}"
            rng = random.Random(int(hashlib.sha256(eid.encode()).hexdigest(), 16) % (2**32))
            m = b["meta"]
            if "why" not in m or not m["why"]:
                die(f"{b['where']}: missing why")
            if not b["segs"]:
                die(f"{b['where']}: no segments")
            # time
            day = datetime.date(2026, 10, 5) + datetime.timedelta(days=rng.randrange(0, 70))
            if "ah" in m:
                hour = rng.choice([19, 20, 21, 22, 23, 5, 6])
            else:
                hour = rng.randrange(8, 17)
            tz = datetime.timezone(datetime.timedelta(hours=-7))
            start = datetime.datetime(day.year, day.month, day.day, hour, rng.randrange(60), rng.randrange(60), tzinfo=tz)
            t = round(rng.uniform(0.0, 0.6), 1)
            segs = []
            for spk, dur, text, where in b["segs"]:
                if not text:
                    die(f"{where}: empty text")
                if dur is None:
                    dur = max(0.8, round(len(text.split()) * rng.uniform(0.33, 0.42), 1))
                st = round(t, 1)
                en = round(t + dur, 1)
                segs.append({"speaker": spk, "start": st, "end": en, "text": text})
                t = en + rng.uniform(0.15, 0.9)
            total = segs[-1]["end"] + round(rng.uniform(0.3, 2.0), 1)
            end = start + datetime.timedelta(seconds=round(total))
            phone = f"({rng.choice(AREA[b['code']])}) 555-01{rng.randrange(100):02d}"
            name = m.get("name", rng.choice(CALLERID))
            brand = CODES[b["code"]]
            rec = {"external_id": eid, "direction": "inbound"}
            if b["show"]:
                rec["brand"] = brand
            rec.update({
                "customer_phone": phone,
                "customer_name": None if name == "-" else name,
                "started_at": start.isoformat(), "ended_at": end.isoformat(),
                "call_type": m.get("type", "Inbound"),
                "csr": None if m.get("csr", "x") == "-" else m.get("csr", rng.choice(CSRS)),
                "csr_notes": m.get("notes", ""),
                "job_booked": False, "recording": None, "transcript": segs,
                "label": {"lead": b["lead"], "brand": brand, "kind": b["kind"], "hard": b["hard"],
                          "why": m["why"], "writer": WRITER}})
            validate(rec, names, ids, b["where"])
            out.append(rec)
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in out), out


def validate(r, names, ids, where):
    need = ["external_id", "direction", "customer_phone", "started_at", "ended_at", "call_type",
            "job_booked", "transcript", "label"]
    for k in need:
        if k not in r:
            die(f"{where}: missing {k}")
    if r["external_id"] in ids:
        die(f"{where}: duplicate id")
    ids.add(r["external_id"])
    if r["direction"] != "inbound" or r["job_booked"] is not False:
        die(f"{where}: direction/job_booked")
    if "brand" in r and r["brand"] not in names:
        die(f"{where}: unknown brand")
    if r["label"]["brand"] not in names:
        die(f"{where}: unknown label brand")
    prev = -1.0
    for s in r["transcript"]:
        if s["start"] < prev or s["end"] < s["start"]:
            die(f"{where}: segments out of order")
        prev = s["end"]
    dur = (datetime.datetime.fromisoformat(r["ended_at"]) - datetime.datetime.fromisoformat(r["started_at"])).total_seconds()
    if prev > dur + 1:
        die(f"{where}: transcript longer than call")
    lab = r["label"]
    for k in ("lead", "brand", "kind", "hard", "why", "writer"):
        if k not in lab:
            die(f"{where}: label missing {k}")


def main():
    text, recs = build()
    path = os.path.join(HERE, "calls.jsonl")
    if "--check" in sys.argv:
        cur = open(path, encoding="utf-8").read() if os.path.exists(path) else None
        if cur != text:
            print("calls.jsonl is stale")
            sys.exit(1)
        print("calls.jsonl is up to date")
        return
    open(path, "w", encoding="utf-8").write(text)
    leads = sum(r["label"]["lead"] for r in recs)
    hard = sum(r["label"]["hard"] for r in recs)
    kinds = {}
    brands = {}
    for r in recs:
        kinds[r["label"]["kind"]] = kinds.get(r["label"]["kind"], 0) + 1
        brands[r["label"]["brand"]] = brands.get(r["label"]["brand"], 0) + 1
    print(f"{len(recs)} calls: {leads} leads, {len(recs)-leads} not, {hard} hard, "
          f"{sum('brand' in r for r in recs)} with brand field")
    if "-v" in sys.argv:
        for k, v in sorted(brands.items()):
            print(f"  {v:4d}  {k}")
        for k, v in sorted(kinds.items(), key=lambda x: -x[1]):
            print(f"  {v:4d}  {k}")


if __name__ == "__main__":
    main()
