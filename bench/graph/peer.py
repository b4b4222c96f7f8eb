#!/usr/bin/env python3
"""One peer measurement: load an edge list with networkx or python-igraph, compute one metric,
write per-node values (node,value CSV) and print one JSON line with the timings.

usage: peer.py networkx|igraph METRIC EDGES.csv VALUES.csv [REPEAT BUDGET_S EIGENVECTOR_MAX_ITER]
METRIC: degree weighted_degree betweenness closeness harmonic pagerank eigenvector core communities components

The metric is computed up to REPEAT times (default 1), starting no repetition once BUDGET_S seconds
(default 2) have been spent on it, and the best time is reported, as `vigil graph metrics
--repeat R --repeat-budget B` does. EIGENVECTOR_MAX_ITER (default 100, networkx's) is passed to
networkx's eigenvector_centrality; igraph's ARPACK solver has no such limit.

Values are converted to networkx's definitions where igraph's differ (betweenness normalised by
(n-1)(n-2)/2 pairs, closeness scaled by Wasserman-Faust, eigenvector scaled to unit length).
"""
import csv
import json
import math
import resource
import sys
import time


def read_rows(path):
    """source,target[,weight] rows; a first row that is a header is dropped."""
    with open(path, newline="") as f:
        rows = [r for r in csv.reader(f) if r]
    if rows:
        first = rows[0]
        header = first[0].lower() in ("source", "from", "src")
        if len(first) > 2:
            try:
                float(first[2])
            except ValueError:
                header = True
        if header:
            rows = rows[1:]
    return [(r[0], r[1], float(r[2]) if len(r) > 2 and r[2] else 1.0) for r in rows]


def run_networkx(metric, rows, eigenvector_max_iter):
    import networkx as nx
    import scipy.sparse  # noqa: F401  (networkx imports it lazily inside pagerank; keep that out of the timing)

    t0 = time.perf_counter()
    g = nx.Graph()
    for a, b, w in rows:
        if g.has_edge(a, b):
            g[a][b]["weight"] += w
        else:
            g.add_edge(a, b, weight=w)
    load = time.perf_counter() - t0
    return load, lambda: networkx_metric(nx, g, metric, eigenvector_max_iter)


def networkx_metric(nx, g, metric, eigenvector_max_iter):
    summary = None
    if metric == "degree":
        values = dict(g.degree())
    elif metric == "weighted_degree":
        values = dict(g.degree(weight="weight"))
    elif metric == "betweenness":
        values = nx.betweenness_centrality(g)
    elif metric == "closeness":
        values = nx.closeness_centrality(g)
    elif metric == "harmonic":
        values = nx.harmonic_centrality(g)
    elif metric == "pagerank":
        values = nx.pagerank(g)
    elif metric == "eigenvector":
        values = nx.eigenvector_centrality(g, weight="weight", max_iter=eigenvector_max_iter)
    elif metric == "core":
        values = nx.core_number(g)
    elif metric == "communities":
        parts = nx.community.louvain_communities(g, weight="weight", seed=0)
        summary = nx.community.modularity(g, parts, weight="weight")
        values = {v: i for i, c in enumerate(parts) for v in c}
    elif metric == "components":
        comps = list(nx.connected_components(g))
        summary = len(comps)
        values = {v: i for i, c in enumerate(comps) for v in c}
    else:
        raise SystemExit(f"unknown metric {metric}")
    return values, summary


def run_igraph(metric, rows, _eigenvector_max_iter):
    import igraph as ig

    t0 = time.perf_counter()
    index = {}
    edges = {}
    for a, b, w in rows:
        i = index.setdefault(a, len(index))
        j = index.setdefault(b, len(index))
        key = (min(i, j), max(i, j))
        edges[key] = edges.get(key, 0.0) + w
    g = ig.Graph(n=len(index), edges=list(edges.keys()), directed=False)
    g.es["weight"] = list(edges.values())
    names = [None] * len(index)
    for name, i in index.items():
        names[i] = name
    load = time.perf_counter() - t0
    return load, lambda: igraph_metric(ig, g, names, metric)


def igraph_metric(ig, g, names, metric):
    n = g.vcount()
    summary = None
    if metric == "degree":
        vals = g.degree()
    elif metric == "weighted_degree":
        vals = g.strength(weights="weight")
    elif metric == "betweenness":
        raw = g.betweenness(directed=False)
        scale = 2.0 / ((n - 1) * (n - 2)) if n > 2 else 1.0
        vals = [b * scale for b in raw]
    elif metric == "closeness":
        raw = g.closeness()
        comp = g.connected_components()
        size = [0] * n
        for c in comp:
            for v in c:
                size[v] = len(c)
        vals = [0.0 if (c is None or math.isnan(c)) else c * (size[v] - 1) / (n - 1) for v, c in enumerate(raw)]
    elif metric == "harmonic":
        vals = g.harmonic_centrality(normalized=False)
    elif metric == "pagerank":
        vals = g.pagerank(weights="weight")
    elif metric == "eigenvector":
        raw = g.eigenvector_centrality(weights="weight", scale=True)
        norm = math.sqrt(sum(x * x for x in raw)) or 1.0
        vals = [x / norm for x in raw]
    elif metric == "core":
        vals = g.coreness()
    elif metric == "communities":
        parts = g.community_multilevel(weights="weight")
        summary = parts.modularity
        vals = parts.membership
    elif metric == "components":
        comp = g.connected_components()
        summary = len(comp)
        vals = comp.membership
    else:
        raise SystemExit(f"unknown metric {metric}")
    return dict(zip(names, vals)), summary


def main():
    tool, metric, edges, out = sys.argv[1:5]
    repeat = int(sys.argv[5]) if len(sys.argv) > 5 else 1
    budget = float(sys.argv[6]) if len(sys.argv) > 6 else 2.0
    eigenvector_max_iter = int(sys.argv[7]) if len(sys.argv) > 7 else 100
    rows = read_rows(edges)
    runner = run_networkx if tool == "networkx" else run_igraph
    load, compute = runner(metric, rows, eigenvector_max_iter)
    times = []
    while not times or (len(times) < repeat and sum(times) < budget):
        t0 = time.perf_counter()
        values, summary = compute()
        times.append(time.perf_counter() - t0)
    algo = min(times)
    with open(out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["node", "value"])
        for k, v in values.items():
            w.writerow([k, repr(float(v))])
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"tool": tool, "metric": metric, "load_s": load, "algo_s": algo, "runs": len(times),
                      "peak_mb": peak_mb, "summary": summary}))


if __name__ == "__main__":
    main()
