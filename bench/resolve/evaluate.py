#!/usr/bin/env python3
"""Pairwise precision/recall/F1 of clusters or scored pairs against ground truth.

usage:
  evaluate.py clusters CLUSTERS.csv TRUTH            # record_id,cluster_id
  evaluate.py pairs PAIRS.csv TRUTH [threshold]      # left,right,probability: F1 at threshold and best
TRUTH is either FEBRL-style pairs (rec_id_l,rec_id_r) or rec_id,entity_id.
Prints one JSON object.
"""
import csv, json, sys
from collections import defaultdict
from itertools import combinations


def truth_pairs(path):
    with open(path, newline="") as f:
        r = csv.reader(f)
        header = next(r)
        rows = list(r)
    if header[1].strip() == "entity_id":
        by = defaultdict(list)
        for rec, ent in rows:
            by[ent].append(rec)
        pairs = set()
        for recs in by.values():
            for a, b in combinations(sorted(recs), 2):
                pairs.add((a, b))
        return pairs
    return {tuple(sorted((a.strip(), b.strip()))) for a, b in rows}


def prf(pred, truth):
    tp = len(pred & truth)
    p = tp / len(pred) if pred else 1.0
    r = tp / len(truth) if truth else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return dict(precision=round(p, 4), recall=round(r, 4), f1=round(f, 4), tp=tp, predicted=len(pred), actual=len(truth))


def main():
    mode, path, tpath = sys.argv[1], sys.argv[2], sys.argv[3]
    truth = truth_pairs(tpath)
    if mode == "clusters":
        by = defaultdict(list)
        with open(path, newline="") as f:
            r = csv.reader(f)
            next(r)
            for rec, c in r:
                by[c].append(rec)
        pred = set()
        for recs in by.values():
            if len(recs) > 2000:
                print(f"warning: cluster of {len(recs)} records", file=sys.stderr)
            for a, b in combinations(sorted(recs), 2):
                pred.add((a, b))
        print(json.dumps(prf(pred, truth)))
        return
    thr = float(sys.argv[4]) if len(sys.argv) > 4 else 0.5
    scored = []
    with open(path, newline="") as f:
        r = csv.reader(f)
        next(r)
        for a, b, p in r:
            scored.append((float(p), tuple(sorted((a, b)))))
    best = {}
    seen = {}
    for p, k in scored:
        seen[k] = max(p, seen.get(k, 0.0))
    at = prf({k for k, p in seen.items() if p >= thr}, truth)
    # Best threshold: sweep descending probabilities.
    items = sorted(seen.items(), key=lambda x: -x[1])
    tp = 0
    best = (0.0, 1.0)
    n_truth = len(truth)
    for i, (k, p) in enumerate(items, 1):
        tp += k in truth
        prec, rec = tp / i, tp / n_truth if n_truth else 1.0
        f = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        if f > best[0]:
            best = (f, p)
    print(json.dumps(dict(at_threshold=at, best_f1=round(best[0], 4), best_threshold=best[1])))


if __name__ == "__main__":
    main()
