#!/usr/bin/env python3
"""Writes crates/vigil-graph/tests/fixtures/*.json: graphs and the values networkx computes on them.

Run from the repository root with a Python that has networkx (3.6) and scipy:
    /opt/vigil-venv-graph/bin/python crates/vigil-graph/tools/make_fixtures.py
The Rust integration tests (tests/it/networkx.rs) rebuild each graph and compare.
Every graph is synthetic or a textbook network shipped inside networkx; seeds are fixed.
"""
import json
import os
import random

import networkx as nx

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures")


def karate():
    g = nx.karate_club_graph()
    h = nx.Graph()
    h.add_nodes_from(str(v) for v in g)
    h.add_edges_from((str(u), str(v), {"weight": 1.0}) for u, v in g.edges())
    return h


def les_miserables():
    g = nx.les_miserables_graph()
    h = nx.Graph()
    h.add_nodes_from(g)
    h.add_edges_from((u, v, {"weight": float(d["weight"])}) for u, v, d in g.edges(data=True))
    return h


def directed():
    rng = random.Random(11)
    g = nx.DiGraph()
    g.add_nodes_from(f"d{i}" for i in range(60))
    for u in range(60):
        for v in range(60):
            if u != v and rng.random() < 0.05:
                g.add_edge(f"d{u}", f"d{v}", weight=float(rng.randint(1, 5)))
    # a reciprocal pair, a self-loop and a dangling sink
    g.add_edge("d1", "d2", weight=2.0)
    g.add_edge("d2", "d1", weight=3.0)
    g.add_edge("d5", "d5", weight=1.0)
    g.add_node("sink")
    g.add_edge("d7", "sink", weight=1.0)
    return g


def disconnected():
    g = nx.Graph()
    g.add_nodes_from(["iso1"])
    # triangle with a tail, a self-loop, a duplicate edge whose weights we sum like Vigil does
    edges = [("a", "b", 1.0), ("b", "c", 2.0), ("c", "a", 1.0), ("c", "d", 1.0), ("d", "d", 1.0),
             ("e", "f", 1.0), ("f", "g", 1.0), ("g", "h", 1.0), ("h", "e", 1.0), ("h", "i", 4.0),
             ("j", "k", 1.0), ("a", "b", 2.0)]
    for u, v, w in edges:
        if g.has_edge(u, v):
            g[u][v]["weight"] += w
        else:
            g.add_edge(u, v, weight=w)
    g.add_node("iso2")
    return g


def small_ba():
    g = nx.barabasi_albert_graph(300, 3, seed=7)
    h = nx.Graph()
    h.add_nodes_from(f"n{v}" for v in g)
    rng = random.Random(3)
    h.add_edges_from((f"n{u}", f"n{v}", {"weight": float(rng.randint(1, 9))}) for u, v in g.edges())
    return h


def floats(d):
    return {str(k): float(v) for k, v in d.items()}


def or_none(f):
    try:
        return floats(f())
    except nx.PowerIterationFailedConvergence:
        return None


def describe(name, g):
    directed = g.is_directed()
    nodes = list(g.nodes())
    u = nodes[0]
    no_loops = g.copy()
    no_loops.remove_edges_from(list(nx.selfloop_edges(no_loops)))
    und = g
    if directed:
        # Vigil's undirected view sums the weights of u->v and v->u.
        und = nx.Graph()
        und.add_nodes_from(g)
        for s, t, d in g.edges(data=True):
            w = d.get("weight", 1.0)
            if und.has_edge(s, t):
                und[s][t]["weight"] += w
            else:
                und.add_edge(s, t, weight=w)
    pairs = [(nodes[0], nodes[-2]), (nodes[1], nodes[len(nodes) // 2])]
    paths = []
    for s, t in pairs:
        entry = {"source": s, "target": t}
        for label, weight in (("hops", None), ("weight", "weight")):
            try:
                entry[f"{label}_length"] = float(nx.shortest_path_length(g, s, t, weight=weight))
                costs = []
                for p in nx.shortest_simple_paths(g, s, t, weight=weight):
                    costs.append(float(nx.path_weight(g, p, "weight")) if weight else float(len(p) - 1))
                    if len(costs) == 4:
                        break
                entry[f"{label}_k4"] = costs
            except nx.NetworkXNoPath:
                entry[f"{label}_length"] = None
                entry[f"{label}_k4"] = []
        paths.append(entry)
    louvain = max(
        nx.community.modularity(und, nx.community.louvain_communities(und, weight="weight", seed=s), weight="weight")
        for s in range(5)
    )
    comps = nx.weakly_connected_components(g) if directed else nx.connected_components(g)
    return {
        "name": name,
        "directed": directed,
        "nodes": nodes,
        "edges": [[s, t, float(d.get("weight", 1.0))] for s, t, d in g.edges(data=True)],
        "degree": {str(k): float(v) for k, v in g.degree()},
        "weighted_degree": {str(k): float(v) for k, v in g.degree(weight="weight")},
        "betweenness": floats(nx.betweenness_centrality(g)),
        "betweenness_weighted": floats(nx.betweenness_centrality(g, weight="weight")),
        "closeness": floats(nx.closeness_centrality(g)),
        "closeness_weighted": floats(nx.closeness_centrality(g, distance="weight")),
        "harmonic": floats(nx.harmonic_centrality(g)),
        "pagerank": floats(nx.pagerank(g)),
        "pagerank_unweighted": floats(nx.pagerank(g, weight=None)),
        "eigenvector": or_none(lambda: nx.eigenvector_centrality(g, weight="weight")),
        "core": {str(k): float(v) for k, v in nx.core_number(no_loops).items()},
        "components": sorted(sorted(c) for c in comps),
        "louvain_modularity_best_of_5_seeds": louvain,
        "bridges": sorted(sorted(e) for e in nx.bridges(nx.Graph(no_loops.to_undirected()))),
        "articulation_points": sorted(nx.articulation_points(nx.Graph(no_loops.to_undirected()))),
        "ego2": {"center": u, "nodes": sorted(nx.ego_graph(g, u, radius=2).nodes())},
        "paths": paths,
        "networkx": nx.__version__,
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, make in [("karate", karate), ("les_miserables", les_miserables), ("directed", directed),
                       ("disconnected", disconnected), ("small_ba", small_ba)]:
        with open(os.path.join(OUT, f"{name}.json"), "w") as f:
            json.dump(describe(name, make()), f, indent=1, sort_keys=True)
            f.write("\n")
        print("wrote", name)


if __name__ == "__main__":
    main()
