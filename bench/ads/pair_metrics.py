"""Pair precision/recall of a clustering against the generator's operations.

A pair is two ads in the same group. Counts come from the contingency table of predicted group x
true operation, so no pair list is materialised. Usage:
  python3 pair_metrics.py truth.jsonl predicted.jsonl [--format vigil|labels]
`vigil`: operations JSONL with an `ads` list per line (ads absent from it are singletons).
`labels`: JSONL of {"id": ..., "cluster": ...}.
"""
import json
import sys
from collections import Counter


def c2(n):
    return n * (n - 1) // 2


def main():
    truth_path, pred_path = sys.argv[1], sys.argv[2]
    fmt = sys.argv[4] if len(sys.argv) > 4 and sys.argv[3] == "--format" else "vigil"
    truth = {}
    with open(truth_path) as f:
        for line in f:
            t = json.loads(line)
            truth[t["id"]] = t["operation_id"]
    pred = {}
    with open(pred_path) as f:
        for line in f:
            o = json.loads(line)
            if fmt == "vigil":
                for ad in o["ads"]:
                    pred[ad] = o["id"]
            else:
                pred[o["id"]] = o["cluster"]
    for i, ad in enumerate(truth):
        pred.setdefault(ad, f"singleton-{i}")
    cells = Counter((pred[a], truth[a]) for a in truth)
    tp = sum(c2(n) for n in cells.values())
    pp = sum(c2(n) for n in Counter(pred[a] for a in truth).values())
    tt = sum(c2(n) for n in Counter(truth.values()).values())
    precision = tp / pp if pp else 1.0
    recall = tp / tt if tt else 1.0
    print(json.dumps({"true_pairs": tt, "predicted_pairs": pp, "tp": tp,
                      "precision": round(precision, 4), "recall": round(recall, 4)}))


if __name__ == "__main__":
    main()
