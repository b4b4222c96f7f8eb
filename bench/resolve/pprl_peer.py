#!/usr/bin/env python3
"""clkhash + anonlink on two FEBRL-style files: CLK-1024 bigram encodings with a shared secret,
Dice >= 0.8 candidates, greedy one-to-one solve. Comparable to `vigil resolve encode/link`.

usage: pprl_peer.py LEFT.csv RIGHT.csv SECRET_FILE OUT.csv
"""
import csv, io, sys
import anonlink
from clkhash import clk
from clkhash.schema import from_json_dict

FIELDS = [  # (column, bits per bigram) — the same weights Vigil's encoder uses.
    ("given_name", 20), ("surname", 20), ("street_number", 8), ("address_1", 8), ("address_2", 8),
    ("suburb", 10), ("postcode", 10), ("state", 0), ("date_of_birth", 15), ("soc_sec_id", 15),
]


def schema():
    feats = [{"identifier": "rec_id", "ignored": True}]
    for name, k in FIELDS:
        if k == 0:
            feats.append({"identifier": name, "ignored": True})
            continue
        feats.append({
            "identifier": name,
            "format": {"type": "string", "encoding": "utf-8"},
            "hashing": {"comparison": {"type": "ngram", "n": 2}, "strategy": {"bitsPerToken": k},
                        "hash": {"type": "doubleHash"}},
        })
    return from_json_dict({
        "version": 3,
        "clkConfig": {"l": 1024, "kdf": {"type": "HKDF", "hash": "SHA256",
                                          "salt": "SCbL2zHNnmsckfzchsNkZY9XoHk96P/G5nUBrM7ybymlEFsMV6PAeDZCNp3rfNUPCtLDMOGQHG4pCQpfhiHCyA==",
                                          "info": "c2NoZW1hX2V4YW1wbGU=", "keySize": 64}},
        "features": feats,
    })


def read(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, rows = rows[0], rows[1:]
    cols = ["rec_id"] + [c for c, _ in FIELDS]
    idx = [header.index(c) for c in cols]
    return [[r[i].strip() for i in idx] for r in rows]


def main():
    left, right, secret_path, out = sys.argv[1:5]
    secret = open(secret_path, "rb").read().decode("latin-1")
    sch = schema()
    a, b = read(left), read(right)
    ca = clk.generate_clks(a, sch, secret, validate=False)
    cb = clk.generate_clks(b, sch, secret, validate=False)
    cands = anonlink.candidate_generation.find_candidate_pairs(
        [ca, cb], anonlink.similarities.dice_coefficient_accelerated, 0.8)
    groups = anonlink.solving.greedy_solve(cands)
    with open(out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["left_id", "right_id", "dice_similarity"])
        for g in groups:
            d = dict(g)
            if 0 in d and 1 in d:
                w.writerow([a[d[0]][0], b[d[1]][0], 1.0])


if __name__ == "__main__":
    main()
