"""Peer baseline: datasketch MinHashLSH over the same shingles Vigil uses.

Shingles: title + " " + text, NFKC, lower-cased, whitespace collapsed, every numeric character
masked to '#', character 5-grams (a text shorter than 5 characters is one shingle). Unlike Vigil,
no identifier is removed first (datasketch has no extractor). MinHash(num_perm, seed=1) per ad via
update_batch; MinHashLSH(threshold, num_perm) with datasketch's own (b, r) choice; insert all, then
query every ad and union-find over every returned pair (no exact-Jaccard verification: that is
datasketch's documented usage). Writes {"id", "cluster"} JSON lines.

Usage: python datasketch_cluster.py ads.jsonl labels.jsonl [--threshold 0.7] [--num-perm 128]
"""
import argparse
import json
import sys
import time
import unicodedata

from datasketch import MinHash, MinHashLSH


def normalise(s):
    s = unicodedata.normalize("NFKC", s).lower()
    s = " ".join(s.split())
    return "".join("#" if c.isnumeric() else c for c in s)


def shingles(s):
    if not s:
        return []
    if len(s) < 5:
        return [s]
    return list({s[i:i + 5] for i in range(len(s) - 4)})


def find(parent, x):
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("ads")
    ap.add_argument("out")
    ap.add_argument("--threshold", type=float, default=0.7)
    ap.add_argument("--num-perm", type=int, default=128)
    a = ap.parse_args()
    t0 = time.time()
    ids, sketches = [], []
    with open(a.ads) as f:
        for line in f:
            ad = json.loads(line)
            title, text = ad.get("title") or "", ad.get("text") or ""
            norm = " ".join(x for x in (normalise(title), normalise(text)) if x)
            m = MinHash(num_perm=a.num_perm, seed=1)
            sh = shingles(norm)
            if sh:
                m.update_batch([x.encode("utf8") for x in sh])
            ids.append(ad["id"])
            sketches.append(m)
    t1 = time.time()
    lsh = MinHashLSH(threshold=a.threshold, num_perm=a.num_perm)
    for i, m in enumerate(sketches):
        lsh.insert(i, m)
    t2 = time.time()
    parent = list(range(len(ids)))
    pairs = 0
    for i, m in enumerate(sketches):
        for j in lsh.query(m):
            if j != i:
                pairs += 1
                ri, rj = find(parent, i), find(parent, j)
                if ri != rj:
                    parent[ri] = rj
    t3 = time.time()
    with open(a.out, "w") as f:
        for i, ad_id in enumerate(ids):
            f.write(json.dumps({"id": ad_id, "cluster": find(parent, i)}) + "\n")
    print(json.dumps({"ads": len(ids), "bands_rows": list(lsh.b_r) if hasattr(lsh, "b_r") else [lsh.b, lsh.r],
                      "minhash_s": round(t1 - t0, 1), "insert_s": round(t2 - t1, 1),
                      "query_union_s": round(t3 - t2, 1), "returned_pairs": pairs}), file=sys.stderr)


if __name__ == "__main__":
    main()
