//! Every metric against the values networkx 3.6 computed on the same graphs
//! (`tools/make_fixtures.py` wrote `tests/fixtures/*.json`).
//!
//! Exact algorithms must agree to 1e-9; PageRank and eigenvector centrality run the same power
//! iteration as networkx with the same stopping rule, and must agree to 1e-9 as well (well within
//! their iterative tolerance of 1e-6 per node); Louvain must reach networkx's best modularity over
//! five seeds less 0.02 with seed 0, and less 0.001 at its own best of five seeds.

use serde_json::Value;
use std::collections::BTreeMap;
use vigil_graph::*;

const FIXTURES: [&str; 5] = [
    "karate",
    "les_miserables",
    "directed",
    "disconnected",
    "small_ba",
];
const TOL: f64 = 1e-9;

fn load(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

fn build(f: &Value) -> Graph {
    let direction = if f["directed"].as_bool().unwrap() {
        Direction::Directed
    } else {
        Direction::Undirected
    };
    let mut b = GraphBuilder::new(direction);
    for v in f["nodes"].as_array().unwrap() {
        b.add_node(v.as_str().unwrap(), None, None);
    }
    for e in f["edges"].as_array().unwrap() {
        let s = b.add_node(e[0].as_str().unwrap(), None, None);
        let t = b.add_node(e[1].as_str().unwrap(), None, None);
        b.add_edge(s, t, e[2].as_f64().unwrap(), None, None)
            .unwrap();
    }
    b.build().unwrap()
}

#[track_caller]
fn check(f: &Value, what: &str, g: &Graph, ours: &[f64], tol: f64) {
    let expected = f[what]
        .as_object()
        .unwrap_or_else(|| panic!("{what} missing"));
    assert_eq!(
        expected.len(),
        g.node_count(),
        "{}: {what} node count",
        f["name"]
    );
    let mut worst = (0.0f64, String::new());
    for v in g.nodes() {
        let want = expected[g.key(v)].as_f64().unwrap();
        let diff = (want - ours[v.index()]).abs();
        if diff > worst.0 {
            worst = (diff, g.key(v).to_owned());
        }
    }
    assert!(
        worst.0 <= tol,
        "{}: {what} differs from networkx by {} at node {}",
        f["name"],
        worst.0,
        worst.1
    );
}

fn exact() -> PathCentralityOptions {
    PathCentralityOptions {
        sampling: Sampling::Exact,
        ..Default::default()
    }
}

#[test]
fn degrees_agree() {
    for name in FIXTURES {
        let f = load(name);
        let g = build(&f);
        let d: Vec<f64> = degree(&g).into_iter().map(|x| x as f64).collect();
        check(&f, "degree", &g, &d, 0.0);
        check(&f, "weighted_degree", &g, &weighted_degree(&g), TOL);
    }
}

#[test]
fn betweenness_closeness_harmonic_agree() {
    for name in FIXTURES {
        let f = load(name);
        let g = build(&f);
        let p = path_centrality(&g, &exact()).unwrap();
        assert!(!p.sampled && p.betweenness_error_bound.is_none());
        check(&f, "betweenness", &g, &p.betweenness, TOL);
        check(&f, "closeness", &g, &p.closeness, TOL);
        check(&f, "harmonic", &g, &p.harmonic, TOL);
        let w = path_centrality(
            &g,
            &PathCentralityOptions {
                weights_as_distance: true,
                ..exact()
            },
        )
        .unwrap();
        check(&f, "betweenness_weighted", &g, &w.betweenness, TOL);
        check(&f, "closeness_weighted", &g, &w.closeness, TOL);
    }
}

#[test]
fn pagerank_and_eigenvector_agree() {
    for name in FIXTURES {
        let f = load(name);
        let g = build(&f);
        check(
            &f,
            "pagerank",
            &g,
            &pagerank(&g, &PageRankOptions::default()).unwrap(),
            TOL,
        );
        let unweighted = PageRankOptions {
            weighted: false,
            ..Default::default()
        };
        check(
            &f,
            "pagerank_unweighted",
            &g,
            &pagerank(&g, &unweighted).unwrap(),
            TOL,
        );
        match (
            &f["eigenvector"],
            eigenvector_centrality(&g, &EigenvectorOptions::default()),
        ) {
            (Value::Null, Err(GraphError::NotConverged { .. })) => {}
            (Value::Null, Ok(_)) => panic!("{name}: networkx did not converge but we did"),
            (_, Ok(x)) => check(&f, "eigenvector", &g, &x, TOL),
            (_, Err(e)) => panic!("{name}: {e}"),
        }
    }
}

#[test]
fn cores_components_and_brokers_agree() {
    for name in FIXTURES {
        let f = load(name);
        let g = build(&f);
        let core: Vec<f64> = core_number(&g).into_iter().map(f64::from).collect();
        check(&f, "core", &g, &core, 0.0);

        let comps = connected_components(&g);
        let mut groups: BTreeMap<u32, Vec<String>> = BTreeMap::new();
        for v in g.nodes() {
            groups
                .entry(comps.component[v.index()])
                .or_default()
                .push(g.key(v).to_owned());
        }
        let mut ours: Vec<Vec<String>> = groups
            .into_values()
            .map(|mut c| {
                c.sort();
                c
            })
            .collect();
        ours.sort();
        let theirs: Vec<Vec<String>> = serde_json::from_value(f["components"].clone()).unwrap();
        assert_eq!(ours, theirs, "{name}: components");

        let b = brokers(&g);
        let mut bridges: Vec<Vec<String>> = b
            .bridges
            .iter()
            .map(|&(u, v)| {
                let mut e = vec![g.key(u).to_owned(), g.key(v).to_owned()];
                e.sort();
                e
            })
            .collect();
        bridges.sort();
        let theirs: Vec<Vec<String>> = serde_json::from_value(f["bridges"].clone()).unwrap();
        assert_eq!(bridges, theirs, "{name}: bridges");
        let mut points: Vec<String> = b
            .articulation_points
            .iter()
            .map(|&v| g.key(v).to_owned())
            .collect();
        points.sort();
        let theirs: Vec<String> = serde_json::from_value(f["articulation_points"].clone()).unwrap();
        assert_eq!(points, theirs, "{name}: articulation points");
    }
}

#[test]
fn louvain_reaches_networkx_modularity() {
    for name in FIXTURES {
        let f = load(name);
        let g = build(&f);
        let theirs = f["louvain_modularity_best_of_5_seeds"].as_f64().unwrap();
        let c = louvain(&g, &LouvainOptions::default());
        let recomputed = modularity(&g, &c.community, 1.0, true);
        assert!(
            (recomputed - c.modularity).abs() < 1e-9,
            "{name}: reported modularity is the partition's"
        );
        assert!(
            c.modularity >= theirs - 0.02,
            "{name}: seed 0 {} vs networkx {theirs}",
            c.modularity
        );
        let best = (0..5)
            .map(|seed| {
                louvain(
                    &g,
                    &LouvainOptions {
                        seed,
                        ..Default::default()
                    },
                )
                .modularity
            })
            .fold(f64::MIN, f64::max);
        assert!(
            best >= theirs - 1e-3,
            "{name}: best of 5 seeds {best} vs networkx {theirs}"
        );
        let again = louvain(&g, &LouvainOptions::default());
        assert_eq!(
            c.community, again.community,
            "{name}: same seed, same partition"
        );
    }
}

#[test]
fn paths_and_k_shortest_agree() {
    for name in FIXTURES {
        let f = load(name);
        let g = build(&f);
        for entry in f["paths"].as_array().unwrap() {
            let s = g.require(entry["source"].as_str().unwrap()).unwrap();
            let t = g.require(entry["target"].as_str().unwrap()).unwrap();
            for (label, cost) in [("hops", Cost::Hops), ("weight", Cost::Weight)] {
                let want = entry[format!("{label}_length")].as_f64();
                let got = shortest_path(&g, s, t, cost).unwrap().map(|p| p.cost);
                assert_eq!(got, want, "{name}: {label} length");
                let want: Vec<f64> =
                    serde_json::from_value(entry[format!("{label}_k4")].clone()).unwrap();
                let got: Vec<f64> = k_shortest_paths(&g, s, t, 4, cost)
                    .unwrap()
                    .iter()
                    .map(|p| p.cost)
                    .collect();
                assert_eq!(got, want, "{name}: {label} k=4 costs");
            }
        }
    }
}

#[test]
fn ego_networks_agree() {
    for name in FIXTURES {
        let f = load(name);
        let g = build(&f);
        let center = g.require(f["ego2"]["center"].as_str().unwrap()).unwrap();
        let ego = ego_network(&g, center, 2, false).unwrap();
        let mut ours: Vec<String> = ego.nodes().map(|v| ego.key(v).to_owned()).collect();
        ours.sort();
        let theirs: Vec<String> = serde_json::from_value(f["ego2"]["nodes"].clone()).unwrap();
        assert_eq!(ours, theirs, "{name}: ego network");
    }
}

#[test]
fn sampled_betweenness_stays_within_its_bound() {
    let f = load("small_ba");
    let g = build(&f);
    let opts = PathCentralityOptions {
        sampling: Sampling::Sources {
            sources: 100,
            seed: 5,
        },
        ..exact()
    };
    let p = path_centrality(&g, &opts).unwrap();
    let bound = p.betweenness_error_bound.unwrap();
    let exact = path_centrality(&g, &exact()).unwrap();
    let worst = p
        .betweenness
        .iter()
        .zip(&exact.betweenness)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max);
    assert!(p.sampled && worst <= bound, "worst {worst} > bound {bound}");
}

/// The closeness/harmonic pass must give the sweep's values (same sources, same formulas) and so
/// networkx's: closeness bit for bit, harmonic to rounding with hop counts (it sums count/d per
/// level) and bit for bit with weights as distances (same searches in the same order).
#[test]
fn distance_pass_equals_the_sweep() {
    let sampled = |sources| Sampling::Sources { sources, seed: 5 };
    for name in FIXTURES {
        let f = load(name);
        let g = build(&f);
        for weights_as_distance in [false, true] {
            for sampling in [Sampling::Exact, sampled(7), sampled(100)] {
                let options = PathCentralityOptions {
                    sampling,
                    weights_as_distance,
                    ..exact()
                };
                let sweep = path_centrality(&g, &options).unwrap();
                let pass = distance_centrality(&g, &options).unwrap();
                let what = format!("{name}, weights {weights_as_distance}, {sampling:?}");
                assert_eq!(
                    (pass.sources, pass.sampled),
                    (sweep.sources, sweep.sampled),
                    "{what}"
                );
                assert_eq!(pass.closeness, sweep.closeness, "{what}: closeness");
                if weights_as_distance {
                    assert_eq!(pass.harmonic, sweep.harmonic, "{what}: harmonic");
                } else {
                    for (a, b) in pass.harmonic.iter().zip(&sweep.harmonic) {
                        assert!(
                            (a - b).abs() <= 1e-12 * b.abs().max(1.0),
                            "{what}: harmonic {a} vs {b}"
                        );
                    }
                }
                if sampling == Sampling::Exact {
                    let (closeness, harmonic) = if weights_as_distance {
                        ("closeness_weighted", None)
                    } else {
                        ("closeness", Some("harmonic"))
                    };
                    check(&f, closeness, &g, &pass.closeness, TOL);
                    if let Some(harmonic) = harmonic {
                        check(&f, harmonic, &g, &pass.harmonic, TOL);
                    }
                }
            }
        }
    }
}
