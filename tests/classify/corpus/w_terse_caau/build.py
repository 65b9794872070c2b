#!/usr/bin/env python3
"""Build calls.jsonl from batch_*.txt (writer w_terse_caau). Stdlib only.

Source format, one block per call, blocks separated by blank lines:
  @<ID> <BRANDCODE>[+] | <customer name or -> | <call_type or -> | <csr> | <csr notes or ->
  =<L|N> <kind> <H|-> | <why>
  <speaker>: <text>          (a = agent, c = customer, anything else literal)
'+' after the brand code puts the `brand` field on the export; without it the
brand is only known from the greeting.  '~' after the code renders the text as
raw speech recognition output (lower case, no punctuation).  Lines starting with '#' are comments.
Times and phones come from a fixed seed per call id.

  python3 build.py          rebuild calls.jsonl
  python3 build.py --check  exit 1 if calls.jsonl is stale or a call is invalid
"""
import glob, json, os, random, re, sys, tomllib
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
WRITER = "w_terse_caau"
BRANDS = {
    "MR": ("Maple Ridge Heating & Cooling", "WCA", -5, "ca_on"),
    "TP": ("Trillium Plumbing & Home", "WCA", -5, "ca_on"),
    "TN": ("True North Garage Doors & Locks", "WCA", -7, "ca_ab"),
    "HS": ("Harbourside Sparkies", "WOZ", 11, "au_syd"),
    "BG": ("Blue Gum Plumbing", "WOZ", 11, "au_syd"),
    "SP": ("Sunstate Pool & Pest", "WOZ", 10, "au_bne"),
}
SPK = {"a": "agent", "c": "customer"}
KEY_ORDER = ["external_id", "direction", "brand", "customer_phone", "customer_name",
             "started_at", "ended_at", "call_type", "csr", "csr_notes", "job_booked",
             "recording", "transcript", "label"]


def phone(rng, region):
    if region == "ca_on":
        return "+1 %s 555 01%02d" % (rng.choice(["905", "289", "365", "416"]), rng.randrange(100))
    if region == "ca_ab":
        return "+1 %s 555 01%02d" % (rng.choice(["403", "587", "825"]), rng.randrange(100))
    if rng.random() < 0.8:
        return "+61 491 570 %03d" % rng.randrange(1000)
    area = "2" if region == "au_syd" else "7"
    return "+61 %s 5550 %04d" % (area, rng.randrange(10000))


def raw_asr(text):
    t = text.strip()
    if t.startswith("[") and t.endswith("]"):
        return t
    t = t.replace("\u2014", " ").replace("-", " ").replace("&", " and ")
    t = re.sub(r"[^\w\s'/\[\]]", "", t.lower())
    return re.sub(r"\s+", " ", t).strip()


def seg_len(text, rng):
    t = text.strip()
    if t.startswith("[") and t.endswith("]") and len(t.split()) <= 3:
        return rng.uniform(2.0, 9.0)
    return 0.6 + 0.33 * len(t.split()) + rng.uniform(0, 0.6)


def parse(path):
    calls, cur = [], None
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for n, raw in enumerate(lines, 1):
        line = raw.rstrip()
        where = "%s:%d" % (os.path.basename(path), n)
        if not line.strip():
            cur = None
            continue
        if line.startswith("#"):
            continue
        if line.startswith("@"):
            parts = [p.strip() for p in line[1:].split("|")]
            if len(parts) != 5:
                raise SystemExit("%s: header needs 5 fields" % where)
            cid, code = parts[0].split()
            asr = "~" in code
            code = code.replace("~", "")
            cur = {"id": cid, "code": code.rstrip("+"), "brand_field": code.endswith("+"), "asr": asr,
                   "name": parts[1], "type": parts[2], "csr": parts[3], "notes": parts[4],
                   "label": None, "segs": [], "where": where}
            calls.append(cur)
            continue
        if cur is None:
            raise SystemExit("%s: text outside a call" % where)
        if line.startswith("="):
            m = re.match(r"=([LN]) (\w+) ([H-]) \| (.+)$", line)
            if not m:
                raise SystemExit("%s: bad label line" % where)
            cur["label"] = m.groups()
            continue
        m = re.match(r"([\w\-]+): (.*)$", line)
        if not m:
            raise SystemExit("%s: bad segment line" % where)
        text = m.group(2).strip()
        if cur["asr"]:
            text = raw_asr(text)
        cur["segs"].append((SPK.get(m.group(1), m.group(1)), text))
    return calls


def build():
    with open(os.path.join(HERE, "profile.toml"), "rb") as f:
        prof = tomllib.load(f)
    names = {b["name"] for b in prof["brand"]}
    out, seen, errs = [], set(), []
    for path in sorted(glob.glob(os.path.join(HERE, "batch_*.txt"))):
        for c in parse(path):
            w = c["where"]
            if c["code"] not in BRANDS:
                errs.append("%s: unknown brand code %s" % (w, c["code"])); continue
            bname, prefix, off, region = BRANDS[c["code"]]
            if bname not in names:
                errs.append("%s: brand %s not in profile" % (w, bname))
            if not re.fullmatch(prefix + r"-\d{4}", c["id"]):
                errs.append("%s: id %s needs prefix %s" % (w, c["id"], prefix))
            if c["id"] in seen:
                errs.append("%s: duplicate id %s" % (w, c["id"]))
            seen.add(c["id"])
            if not c["label"]:
                errs.append("%s: no label" % w); continue
            if not (2 <= len(c["segs"]) <= 40):
                errs.append("%s: %d segments" % (w, len(c["segs"])))
            rng = random.Random("%s:%s" % (WRITER, c["id"]))
            tz = timezone(timedelta(hours=off))
            day = datetime(2026, 11, 9, tzinfo=tz) + timedelta(days=rng.randrange(24))
            start = day + timedelta(hours=rng.randrange(7, 19), minutes=rng.randrange(60),
                                    seconds=rng.randrange(60))
            t, segs = round(rng.uniform(0.0, 0.8), 1), []
            for spk, text in c["segs"]:
                if not text:
                    errs.append("%s: empty segment" % w)
                d = seg_len(text, rng)
                segs.append({"speaker": spk, "start": round(t, 1), "end": round(t + d, 1), "text": text})
                t = t + d + rng.uniform(0.15, 0.9)
            total = segs[-1]["end"] + rng.uniform(0.5, 3.0)
            end = start + timedelta(seconds=round(total))
            lead, kind, hard, why = c["label"]
            rec = {
                "external_id": c["id"], "direction": "inbound",
                "customer_phone": phone(rng, region),
                "customer_name": None if c["name"] == "-" else c["name"],
                "started_at": start.isoformat(), "ended_at": end.isoformat(),
                "call_type": None if c["type"] == "-" else c["type"],
                "csr": c["csr"], "csr_notes": "" if c["notes"] == "-" else c["notes"],
                "job_booked": False, "recording": None, "transcript": segs,
                "label": {"lead": lead == "L", "brand": bname, "kind": kind,
                          "hard": hard == "H", "why": why, "writer": WRITER},
            }
            if c["brand_field"]:
                rec["brand"] = bname
            for a, b in zip(segs, segs[1:]):
                if b["start"] < a["start"] or a["end"] < a["start"]:
                    errs.append("%s: segments out of order" % w)
            out.append({k: rec[k] for k in KEY_ORDER if k in rec})
    out.sort(key=lambda r: r["external_id"])
    return out, errs


def main():
    out, errs = build()
    for e in errs:
        print("ERROR", e, file=sys.stderr)
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in out)
    dest = os.path.join(HERE, "calls.jsonl")
    if "--check" in sys.argv:
        cur = open(dest, encoding="utf-8").read() if os.path.exists(dest) else None
        if errs or cur != text:
            print("calls.jsonl is stale or invalid", file=sys.stderr)
            sys.exit(1)
        print("ok: %d calls" % len(out))
        return
    if errs:
        sys.exit(1)
    with open(dest, "w", encoding="utf-8") as f:
        f.write(text)
    leads = sum(r["label"]["lead"] for r in out)
    hard = sum(r["label"]["hard"] for r in out)
    kinds = {}
    for r in out:
        kinds[r["label"]["kind"]] = kinds.get(r["label"]["kind"], 0) + 1
    print("%d calls: %d leads, %d not, %d hard, %d with brand field" % (
        len(out), leads, len(out) - leads, hard, sum("brand" in r for r in out)))
    if "-v" in sys.argv:
        for k, v in sorted(kinds.items(), key=lambda x: -x[1]):
            print("  %-28s %d" % (k, v))


if __name__ == "__main__":
    main()
