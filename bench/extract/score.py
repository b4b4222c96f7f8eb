#!/usr/bin/env python3
"""Phone P/R/F1 of a predictions JSONL (`id`, `phones`) against a truth JSONL (`id`, `phones`).

usage: score.py TRUTH PRED [--show N]   (prints one JSON object; --show prints N disagreements)"""
import json
import sys


def load(path):
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                o = json.loads(line)
                out[str(o["id"])] = set(o.get("phones") or [])
    return out


def main():
    truth, pred = load(sys.argv[1]), load(sys.argv[2])
    show = int(sys.argv[sys.argv.index("--show") + 1]) if "--show" in sys.argv else 0
    tp = fp = fn = 0
    shown = 0
    for k, t in truth.items():
        p = pred.get(k, set())
        tp += len(t & p)
        fp += len(p - t)
        fn += len(t - p)
        if show and (p != t) and shown < show:
            print(f"# {k}: truth={sorted(t)} pred={sorted(p)}", file=sys.stderr)
            shown += 1
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    print(json.dumps({"tp": tp, "fp": fp, "fn": fn, "precision": round(prec, 4), "recall": round(rec, 4), "f1": round(f1, 4)}))


if __name__ == "__main__":
    main()
