#!/usr/bin/env python3
"""Build calls.jsonl from batch_*.txt (writer w_hard_i). Stdlib only, deterministic.

Batch format: a call starts with a header line
  @ KEY|SHOW|L/N|H/E|kind|MODE|Caller Name|csr|call_type|csr notes
KEY = brand key (M,G,B,E,P); SHOW 1 = export carries `brand`; L lead / N not; H hard / E easy;
MODE = speaker labelling: n normal, s swapped, k spk_0/spk_1, u all customer,
       g agent greeting under caller label, c caller/agent, q unknown everywhere.
Then `? why sentence`, then segment lines: `a text` agent, `c text` caller,
`i text` IVR/voicemail/system, `x text` marker such as [silence].
Lines starting with # and blank lines are ignored.
"""
import json, random, re, sys, glob, os, datetime, tomllib

HERE = os.path.dirname(os.path.abspath(__file__))
WRITER = "w_hard_i"
PREFIX = "WHI"
BRANDS = {"M": "Maumee Valley Heating & Air", "G": "Great Lakes Drain & Plumbing",
          "B": "Buckeye Pipe Works", "E": "Lakeshore Electric", "P": "North Coast Pest Defense"}
AREA = {"M": "419", "G": "734", "B": "614", "E": "616", "P": "216"}
MODES = set("nskugcq")


def parse():
    calls, errs = [], []
    for fn in sorted(glob.glob(os.path.join(HERE, "batch_*.txt"))):
        cur = None
        for ln, raw in enumerate(open(fn, encoding="utf-8"), 1):
            line = raw.rstrip("\n").strip()
            if not line or line.startswith("#"):
                continue
            where = f"{os.path.basename(fn)}:{ln}"
            if line.startswith("@"):
                parts = [p.strip() for p in line[1:].split("|")]
                if len(parts) != 10:
                    errs.append(f"{where}: header needs 10 fields"); cur = None; continue
                cur = {"h": parts, "why": None, "segs": [], "where": where}
                calls.append(cur)
            elif cur is None:
                errs.append(f"{where}: line outside a call")
            elif line.startswith("?"):
                cur["why"] = line[1:].strip()
            elif line[0] in "acix" and (len(line) == 1 or line[1] == " "):
                cur["segs"].append((line[0], line[2:].strip()))
            else:
                errs.append(f"{where}: bad line")
    return calls, errs


def label_for(role, mode, idx, first_agent, rng_flip):
    if role in "ix":
        return {"q": "unknown", "u": "customer", "k": "spk_0" if rng_flip else "spk_1"}.get(mode, "unknown")
    if mode == "n": return "agent" if role == "a" else "customer"
    if mode == "s": return "customer" if role == "a" else "agent"
    if mode == "k":
        a, c = ("spk_0", "spk_1") if rng_flip else ("spk_1", "spk_0")
        return a if role == "a" else c
    if mode == "u": return "customer"
    if mode == "q": return "unknown"
    if mode == "c": return "agent" if role == "a" else "caller"
    if mode == "g":
        if role == "a" and idx == first_agent: return "customer"
        return "agent" if role == "a" else "customer"
    return "unknown"


def build():
    calls, errs = parse()
    rng = random.Random(20261203)
    out, seen_names = [], set()
    base = datetime.datetime(2026, 10, 5, 7, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=-5)))
    for n, c in enumerate(calls, 1):
        key, show, lead, hard, kind, mode, name, csr, ctype, notes = c["h"]
        w = c["where"]
        if key not in BRANDS: errs.append(f"{w}: unknown brand key {key}")
        if show not in ("0", "1"): errs.append(f"{w}: SHOW must be 0/1")
        if lead not in ("L", "N"): errs.append(f"{w}: lead must be L/N")
        if hard not in ("H", "E"): errs.append(f"{w}: hard must be H/E")
        if not re.fullmatch(r"[a-z][a-z0-9_]*", kind): errs.append(f"{w}: bad kind")
        if mode not in MODES: errs.append(f"{w}: bad mode")
        if not c["why"]: errs.append(f"{w}: missing why")
        if not (2 <= len(c["segs"]) <= 40): errs.append(f"{w}: {len(c['segs'])} segments")
        if errs: continue
        start = base + datetime.timedelta(days=rng.randint(0, 58), hours=rng.randint(0, 14),
                                          minutes=rng.randint(0, 59), seconds=rng.randint(0, 59))
        flip = rng.random() < 0.5
        first_agent = next((i for i, s in enumerate(c["segs"]) if s[0] == "a"), -1)
        t, segs = 0.0, []
        for i, (role, text) in enumerate(c["segs"]):
            t += round(rng.uniform(0.2, 1.3), 1)
            words = max(1, len(text.split()))
            dur = round(words / rng.uniform(2.3, 3.1) + 0.4, 1)
            if role == "x" and text.startswith("[") and ("silence" in text or "music" in text or "hold" in text):
                dur = round(rng.uniform(3, 25), 1)
            segs.append({"speaker": label_for(role, mode, i, first_agent, flip),
                         "start": round(t, 1), "end": round(t + dur, 1), "text": text})
            t = t + dur
        end = start + datetime.timedelta(seconds=int(t) + rng.randint(1, 4))
        rec = {"external_id": f"{PREFIX}-{n:04d}", "direction": "inbound"}
        if show == "1": rec["brand"] = BRANDS[key]
        rec.update({
            "customer_phone": f"({AREA[key]}) 555-01{rng.randint(0, 99):02d}",
            "customer_name": name or None,
            "started_at": start.isoformat(), "ended_at": end.isoformat(),
            "call_type": ctype or None, "csr": csr or None, "csr_notes": notes or None,
            "job_booked": False, "recording": None, "transcript": segs,
            "label": {"lead": lead == "L", "brand": BRANDS[key], "kind": kind,
                      "hard": hard == "H", "why": c["why"], "writer": WRITER}})
        out.append(rec)
    return out, errs


def validate(recs, errs):
    prof = tomllib.load(open(os.path.join(HERE, "profile.toml"), "rb"))
    names = {b["name"] for b in prof["brand"]}
    ids = set()
    for r in recs:
        i = r["external_id"]
        for k in ("external_id", "direction", "customer_phone", "started_at", "ended_at",
                  "job_booked", "transcript", "label"):
            if k not in r: errs.append(f"{i}: missing {k}")
        if i in ids: errs.append(f"{i}: duplicate id")
        ids.add(i)
        if r["direction"] != "inbound" or r["job_booked"] is not False: errs.append(f"{i}: direction/job_booked")
        if r.get("brand") is not None and r["brand"] not in names: errs.append(f"{i}: brand not in profile")
        if r["label"]["brand"] not in names: errs.append(f"{i}: label brand not in profile")
        if "brand" not in r and r["label"]["brand"] != prof["brand"][0]["name"]:
            said = " ".join(s["text"].lower() for s in r["transcript"][:4])
            key2 = " ".join(r["label"]["brand"].lower().split()[:2])
            if key2 not in said: errs.append(f"{i}: brand neither exported nor said early")
        prev = 0.0
        for s in r["transcript"]:
            if s["start"] < prev or s["end"] < s["start"] or not s["text"]: errs.append(f"{i}: segment order")
            prev = s["end"]
        dur = (datetime.datetime.fromisoformat(r["ended_at"]) - datetime.datetime.fromisoformat(r["started_at"])).total_seconds()
        if prev > dur: errs.append(f"{i}: segments outside call")
    return errs


def render(recs):
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs)


def readme(recs):
    from collections import Counter
    L = sum(r["label"]["lead"] for r in recs); H = sum(r["label"]["hard"] for r in recs)
    kinds = Counter((r["label"]["kind"], r["label"]["lead"]) for r in recs)
    per = Counter(r["label"]["brand"] for r in recs)
    perl = Counter(r["label"]["brand"] for r in recs if r["label"]["lead"])
    s = [f"# Corpus w_hard_i (training calls)", "",
         "Writer: `w_hard_i`. Invented Ohio/Michigan home-services group, five brands (see `profile.toml`).",
         "Style: about two thirds raw speech recognition (lowercase, no punctuation, misheard words,",
         "numbers/ZIPs/addresses as words, cut-offs, `[inaudible]`), one third cleaner; speaker labels",
         "often wrong (swapped, spk_0/spk_1, all `customer`, `caller`, `unknown`, greeting under the",
         "caller's label); IVR menus and after-hours greetings. Most calls are deliberately hard:",
         "late reveals (vendors, adjusters, recruiters vs. vendors who need home service), warranty",
         "re-visits vs. expired warranties, add-ons to booked visits, area edges, very short calls,",
         "bookings that complete without the word 'book', DIY, trade edges.", "",
         "Source: `batch_*.txt` (format documented in `build.py`). `python3 build.py` rebuilds",
         "`calls.jsonl` and this README; `python3 build.py --check` exits 1 when stale.", "",
         f"Calls: {len(recs)}; leads: {L}; not leads: {len(recs)-L}; hard: {H}.", "",
         "| brand | calls | leads |", "|---|---|---|"]
    s += [f"| {b} | {per[b]} | {perl[b]} |" for b in sorted(per)]
    s += ["", "| kind | lead | count |", "|---|---|---|"]
    s += [f"| {k} | {'yes' if l else 'no'} | {n} |" for (k, l), n in sorted(kinds.items())]
    return "\n".join(s) + "\n"


def main():
    recs, errs = build()
    errs = validate(recs, errs)
    if errs:
        print("\n".join(errs), file=sys.stderr); sys.exit(2)
    text = render(recs)
    path = os.path.join(HERE, "calls.jsonl")
    if "--check" in sys.argv:
        cur = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
        rd = os.path.join(HERE, "README.md")
        cur_rd = open(rd, encoding="utf-8").read() if os.path.exists(rd) else ""
        if cur != text or cur_rd != readme(recs):
            print("stale", file=sys.stderr); sys.exit(1)
        print(f"ok: {len(recs)} calls up to date"); return
    open(path, "w", encoding="utf-8").write(text)
    open(os.path.join(HERE, "README.md"), "w", encoding="utf-8").write(readme(recs))
    L = sum(r["label"]["lead"] for r in recs); H = sum(r["label"]["hard"] for r in recs)
    print(f"built {len(recs)} calls: {L} leads, {H} hard")


if __name__ == "__main__":
    main()
