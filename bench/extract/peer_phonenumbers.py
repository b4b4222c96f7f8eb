#!/usr/bin/env python3
"""Peer: python `phonenumbers` PhoneNumberMatcher (region US, default leniency VALID) over a
JSONL of {id, text}; writes {id, phones} JSONL and prints CPU time, rates and RSS as one JSON object on stderr.

usage: peer_phonenumbers.py IN.jsonl OUT.jsonl [--limit N]"""
import json
import resource
import sys
import time

import phonenumbers


def main():
    src, dst = sys.argv[1], sys.argv[2]
    limit = int(sys.argv[sys.argv.index("--limit") + 1]) if "--limit" in sys.argv else None
    n = 0
    nbytes = 0
    t0, c0 = time.perf_counter(), time.process_time()
    with open(src, encoding="utf-8") as f, open(dst, "w", encoding="utf-8") as out:
        for line in f:
            if limit is not None and n >= limit:
                break
            o = json.loads(line)
            text = o["text"]
            nbytes += len(line.encode("utf-8"))
            phones = []
            for m in phonenumbers.PhoneNumberMatcher(text, o.get("region") or "US"):
                e = phonenumbers.format_number(m.number, phonenumbers.PhoneNumberFormat.E164)
                if e not in phones:
                    phones.append(e)
            out.write(json.dumps({"id": o["id"], "phones": phones}) + "\n")
            n += 1
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Rates use CPU time (the machine is shared; wall time includes waiting for a core).
    print(json.dumps({"ads": n, "seconds": round(dt, 3), "cpu_seconds": round(cpu, 3),
                      "ads_per_s": round(n / cpu, 1), "mb_per_s": round(nbytes / cpu / 1e6, 3),
                      "peak_rss_kb": rss_kb,
                      "phonenumbers": phonenumbers.__version__}), file=sys.stderr)


if __name__ == "__main__":
    main()
