#!/usr/bin/env python3
"""Build calls.jsonl from batch_*.txt (writer blind_e). Stdlib only, deterministic.

Source format: a call starts with a header line
  @ ID | BRANDKEY | L or N | kind | h or - | speakermode | b or -
then optional lines  n: caller name   t: call type   c: csr notes   w: why   d: minutes offset
and segment lines    A: agent text    C: caller text    S: system/ivr/music marker text
speakermode: std swap spk spkr cust unk caller
"""
import json, random, sys, tomllib, datetime, os, re, glob

HERE = os.path.dirname(os.path.abspath(__file__))
WRITER = "blind_e"
KEYS = {"HV": "Peachtree Comfort Air", "PL": "Chattahoochee Plumbing", "EL": "Brightline Electric",
        "GD": "Stone Mountain Garage Doors", "PT": "Red Clay Pest & Termite", "HM": "Handy Dan's Home Repair"}
MODES = {"std": ("agent", "customer", "unknown"), "swap": ("customer", "agent", "unknown"),
         "spk": ("spk_0", "spk_1", "spk_0"), "spkr": ("spk_1", "spk_0", "spk_1"),
         "cust": ("customer", "customer", "customer"), "unk": ("unknown", "unknown", "unknown"),
         "caller": ("agent", "caller", "unknown")}
AREA = ["404", "678", "770", "470"]
CSRS = ["tbrooks", "kdavis", "mreyes", "jholloway", "lwashington", "dpatel", "swhitaker", "agomez"]


def parse(path):
    calls, cur = [], None
    for ln, raw in enumerate(open(path, encoding="utf-8"), 1):
        line = raw.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("@"):
            parts = [p.strip() for p in line[1:].split("|")]
            if len(parts) != 7:
                sys.exit(f"{path}:{ln}: header needs 7 fields")
            cid, bk, ld, kind, hard, mode, bf = parts
            if bk not in KEYS or ld not in "LN" or hard not in ("h", "-") or mode not in MODES or bf not in ("b", "-"):
                sys.exit(f"{path}:{ln}: bad header {parts}")
            cur = {"id": cid, "brand": KEYS[bk], "lead": ld == "L", "kind": kind, "hard": hard == "h",
                   "mode": mode, "bf": bf == "b", "segs": [], "n": None, "t": "Service", "c": "", "w": None, "where": f"{path}:{ln}"}
            calls.append(cur)
            continue
        m = re.match(r"^([ntcwdACS]):\s?(.*)$", line)
        if not m or cur is None:
            sys.exit(f"{path}:{ln}: cannot parse: {line!r}")
        k, v = m.groups()
        if k in "ACS":
            cur["segs"].append((k, v.strip()))
        else:
            cur[k] = v.strip()
    return calls


def build():
    prof = tomllib.load(open(os.path.join(HERE, "profile.toml"), "rb"))
    names = {b["name"] for b in prof["brand"]}
    assert set(KEYS.values()) <= names
    calls = []
    for f in sorted(glob.glob(os.path.join(HERE, "batch_*.txt"))):
        calls += parse(f)
    out, seen = [], set()
    for i, c in enumerate(calls):
        rnd = random.Random(f"{WRITER}-{c['id']}")
        assert c["id"].startswith("BLE-") and c["id"] not in seen, c["where"]
        seen.add(c["id"])
        assert c["segs"] and c["w"] and c["kind"], f"{c['where']}: missing segments/why/kind"
        day = datetime.datetime(2026, 11, 2, 7, 0) + datetime.timedelta(days=rnd.randint(0, 34), minutes=rnd.randint(0, 15 * 60))
        tz = datetime.timezone(datetime.timedelta(hours=-5))
        start = day.replace(tzinfo=tz)
        t = round(rnd.uniform(0.2, 1.5), 1)
        segs = []
        roles = MODES[c["mode"]]
        for k, txt in c["segs"]:
            words = max(1, len(txt.split()))
            dur = round(words / rnd.uniform(2.2, 3.2) + 0.4, 1)
            if txt.startswith("[") and txt.endswith("]") and words <= 3:
                dur = round(rnd.uniform(3, 40), 1)
            spk = {"A": roles[0], "C": roles[1], "S": roles[2]}[k]
            segs.append({"speaker": spk, "start": t, "end": round(t + dur, 1), "text": txt})
            t = round(t + dur + rnd.uniform(0.1, 1.2), 1)
        for a, b in zip(segs, segs[1:]):
            assert a["start"] < a["end"] <= b["start"], c["where"]
        end = start + datetime.timedelta(seconds=int(t) + 1)
        rec = {"external_id": c["id"], "direction": "inbound"}
        if c["bf"]:
            rec["brand"] = c["brand"]
        rec.update({
            "customer_phone": f"({rnd.choice(AREA)}) 555-01{rnd.randint(0, 99):02d}",
            "customer_name": c["n"] if c["n"] is not None else "",
            "started_at": start.isoformat(), "ended_at": end.isoformat(),
            "call_type": c["t"], "csr": rnd.choice(CSRS), "csr_notes": c["c"],
            "job_booked": False, "recording": None, "transcript": segs,
            "label": {"lead": c["lead"], "brand": c["brand"], "kind": c["kind"], "hard": c["hard"],
                      "why": c["w"], "writer": WRITER}})
        assert rec["label"]["brand"] in names
        if "brand" in rec:
            assert rec["brand"] in names
        out.append(json.dumps(rec, ensure_ascii=False))
    return "\n".join(out) + "\n", calls


def main():
    text, calls = build()
    path = os.path.join(HERE, "calls.jsonl")
    if "--check" in sys.argv:
        cur = open(path, encoding="utf-8").read() if os.path.exists(path) else None
        if cur != text:
            print("calls.jsonl is stale"); sys.exit(1)
        print("ok"); return
    open(path, "w", encoding="utf-8").write(text)
    n = len(calls); L = sum(c["lead"] for c in calls); H = sum(c["hard"] for c in calls)
    print(f"{n} calls, {L} leads, {n-L} not leads, {H} hard")
    if "-v" in sys.argv:
        from collections import Counter
        for k, v in sorted(Counter((c["lead"], c["kind"]) for c in calls).items()):
            print(("lead " if k[0] else "not  ") + k[1], v)
        print(Counter(c["brand"] for c in calls))


if __name__ == "__main__":
    main()
