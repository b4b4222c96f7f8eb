#!/usr/bin/env python3
"""Runs `vigil graph metrics --only M` and the networkx / python-igraph peers (peer.py) on each
graph, checks agreement and prints a markdown table. Called by run.sh.

Every tool times each metric the same way: up to REPEAT runs in one process after one load,
starting no run once BUDGET seconds have been spent, and the best run counts.
Environment: BENCH_REPEAT (default 5), BENCH_BUDGET (seconds, default 2), EIGENVECTOR_MAX_ITER
(default 1000, given to Vigil and networkx alike), PEER_TIMEOUT."""
import argparse
import csv
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
# "betweenness" is Vigil's Brandes sweep (which also yields closeness and harmonic), "closeness" its
# closeness+harmonic pass.
VIGIL_METRICS = ["degree", "betweenness", "closeness", "pagerank", "eigenvector", "core", "communities",
                 "components"]
PEER_METRICS = ["degree", "weighted_degree", "betweenness", "closeness", "harmonic", "pagerank", "eigenvector", "core",
                "communities", "components"]
COLUMN = {"degree": "degree", "weighted_degree": "weighted_degree", "betweenness": "betweenness", "closeness": "closeness", "harmonic": "harmonic",
          "pagerank": "pagerank", "eigenvector": "eigenvector", "core": "core"}
PATHS = {"betweenness", "closeness", "harmonic"}
# Rows timed from one step of a Vigil run that has several: (run, step).
STEP = {"degree": ("degree", "degree"), "weighted_degree": ("degree", "weighted degree")}
TIMEOUT = int(os.environ.get("PEER_TIMEOUT", "900"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))
BUDGET = float(os.environ.get("BENCH_BUDGET", "2"))
EIGENVECTOR_MAX_ITER = int(os.environ.get("EIGENVECTOR_MAX_ITER", "1000"))


def count(path):
    nodes, m = set(), 0
    with open(path) as f:
        for i, line in enumerate(f):
            parts = line.rstrip("\n").split(",")
            if i == 0 and parts[0] == "source":
                continue
            nodes.add(parts[0])
            nodes.add(parts[1])
            m += 1
    return len(nodes), m


def timed(cmd):
    """Runs cmd under /usr/bin/time -v; returns (stdout, stderr, peak MB, returncode) or None on timeout."""
    try:
        p = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return None
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    return p.stdout, p.stderr, (int(rss.group(1)) / 1024 if rss else float("nan")), p.returncode


def run_vigil(vigil, graph, metric, work, exact=False):
    out = os.path.join(work, f"vigil-{metric}{'-exact' if exact else ''}.csv")
    cmd = [vigil, "graph", "metrics", graph, "--out", out, "--only", metric, "--seed", "0",
           "--repeat", str(REPEAT), "--repeat-budget", str(BUDGET),
           "--eigenvector-max-iter", str(EIGENVECTOR_MAX_ITER)]
    if exact:
        cmd += ["--exact-max-nodes", "1000000000"]
    r = timed(cmd)
    if r is None:
        return None
    _, err, peak, code = r
    if code != 0:
        raise SystemExit(f"vigil failed: {err}")
    # Each run prints "vigil graph: STEP took X s" per step: the best run of each step counts.
    steps = {}
    for step, t in re.findall(r"vigil graph: (.+) took ([0-9.]+) s", err):
        steps.setdefault(step, []).append(float(t))
    load = re.search(r"after merging duplicates \(([0-9.]+) s\)", err)
    modularity = re.search(r"modularity ([0-9.]+)", err)
    comps = re.search(r"(\d+) connected components", err)
    bound = re.search(r"error <= ([0-9.]+)", err)
    with open(out) as f:
        rows = list(csv.DictReader(f))
    return {"algo_s": sum(min(t) for t in steps.values()), "steps": {k: min(t) for k, t in steps.items()},
            "runs": max(map(len, steps.values()), default=0),
            "load_s": float(load.group(1)) if load else float("nan"), "peak_mb": peak,
            "rows": rows, "modularity": float(modularity.group(1)) if modularity else None,
            "components": int(comps.group(1)) if comps else None, "sampled": "ESTIMATES" in err,
            "bound": float(bound.group(1)) if bound else None}


def run_peer(python, tool, metric, graph, work):
    out = os.path.join(work, f"{tool}-{metric}.csv")
    r = timed([python, os.path.join(HERE, "peer.py"), tool, metric, graph, out, str(REPEAT), str(BUDGET),
               str(EIGENVECTOR_MAX_ITER)])
    if r is None:
        return {"timeout": True}
    stdout, err, peak, code = r
    if code != 0:
        return {"error": err.strip().splitlines()[-1] if err.strip() else f"exit {code}"}
    res = json.loads(stdout.strip().splitlines()[-1])
    res["peak_mb"] = peak
    with open(out) as f:
        res["values"] = {row["node"]: float(row["value"]) for row in csv.DictReader(f)}
    return res


def max_diff(vigil_rows, column, values):
    """Max |vigil - peer| over the nodes both have; None when Vigil left the column empty."""
    worst = None
    for row in vigil_rows:
        if row[column] == "" or row["node"] not in values:
            continue
        worst = max(worst or 0.0, abs(float(row[column]) - values[row["node"]]))
    return worst


def fmt(x, digits=3):
    if x is None:
        return "–"
    if isinstance(x, str):
        return x
    if x == 0:
        return "0"
    if abs(x) < 1e-3:
        return f"{x:.1e}"
    return f"{x:.{digits}f}"


def ratio(peer, vigil):
    """peer time / vigil time; vigil steps under 1 µs are reported as such."""
    if vigil < 1e-6:
        return "vigil <1µs"
    r = peer / vigil
    return f"{r:.0f}" if r >= 10 else f"{r:.1f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vigil", required=True)
    ap.add_argument("--python", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("graphs", nargs="+", help="NAME=PATH")
    a = ap.parse_args()
    print("| graph | metric | vigil s | vigil MB | networkx s | networkx MB | igraph s | igraph MB | "
          "×nx | ×igraph | max abs diff vs networkx | vs igraph | note |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for spec in a.graphs:
        name, path = spec.split("=", 1)
        n, m = count(path)
        work = os.path.join(a.work, name)
        os.makedirs(work, exist_ok=True)
        label = f"{name} (n={n:,}, m={m:,})"
        exact_paths_nx = n * m <= 5e8
        exact_paths_ig = n * m <= 1e10
        vig = {metric: run_vigil(a.vigil, path, metric, work) for metric in VIGIL_METRICS}
        for metric in ("betweenness", "closeness"):
            if vig[metric]["sampled"] and exact_paths_ig:
                vig[metric + "_exact"] = run_vigil(a.vigil, path, metric, work, exact=True)
        peers = {}
        for tool in ("networkx", "igraph"):
            for metric in PEER_METRICS:
                allowed = exact_paths_nx if tool == "networkx" else exact_paths_ig
                if metric in PATHS and not allowed:
                    peers[(tool, metric)] = {"skipped": True}
                    continue
                peers[(tool, metric)] = run_peer(a.python, tool, metric, path, work)
                sys.stderr.write(f"{name} {tool} {metric}: {peers[(tool, metric)].get('algo_s', 'n/a')}\n")
        load_row = [label, "load edge list", fmt(vig["degree"]["load_s"]), "–"]
        for tool in ("networkx", "igraph"):
            p = peers[(tool, "degree")]
            load_row += [fmt(p.get("load_s")), "–"]
        print("| " + " | ".join(load_row + ["", "", "", "", "peak MB of each run is below"]) + " |")
        for metric in PEER_METRICS:
            vkey = "closeness" if metric == "harmonic" else STEP.get(metric, (metric,))[0]
            v = vig[vkey]
            if metric in STEP:
                v = dict(v, algo_s=v["steps"][STEP[metric][1]])
            exact = vig.get(vkey + "_exact") if metric in PATHS else None
            cells = [label, metric]
            note = []
            if metric in PATHS and v["sampled"]:
                bound = f" (betweenness bound ±{v['bound']})" if metric == "betweenness" else ""
                note.append(f"vigil sampled 1024 sources{bound}")
            cells += [fmt(v["algo_s"], 4), fmt(v["peak_mb"], 0)]
            speed, diffs = [], []
            for tool in ("networkx", "igraph"):
                p = peers[(tool, metric)]
                if p.get("skipped"):
                    cells += ["skipped", "–"]
                    speed.append("–")
                    diffs.append("–")
                    continue
                if p.get("timeout"):
                    cells += [f">{TIMEOUT}", "–"]
                    speed.append(">" + ratio(TIMEOUT, v["algo_s"]))
                    diffs.append("–")
                    continue
                if p.get("error"):
                    cells += ["error", "–"]
                    speed.append("–")
                    diffs.append(p["error"][:60])
                    continue
                cells += [fmt(p["algo_s"], 4), fmt(p["peak_mb"], 0)]
                speed.append(ratio(p["algo_s"], v["algo_s"]))
                if metric == "communities":
                    diffs.append(f"Q {fmt(v['modularity'], 4)} vs {fmt(p['summary'], 4)}")
                elif metric == "components":
                    diffs.append(f"{v['components']} vs {p['summary']}")
                else:
                    d = max_diff(v["rows"], COLUMN[metric], p["values"])
                    text = "vigil did not converge" if d is None else fmt(d)
                    if exact is not None:
                        text += f" (exact run: {fmt(max_diff(exact['rows'], COLUMN[metric], p['values']))})"
                    diffs.append(text)
            if exact is not None:
                note.append(f"vigil exact run {fmt(exact['algo_s'])} s, {fmt(exact['peak_mb'], 0)} MB")
            cells += speed + diffs + ["; ".join(note)]
            print("| " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
