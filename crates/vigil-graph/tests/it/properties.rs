//! Invariants that hold on any graph: degree sum, component partition, k-core monotonicity,
//! non-negative betweenness, PageRank summing to 1, communities covering every node.

use proptest::prelude::*;
use vigil_graph::*;

fn arb_graph() -> impl Strategy<Value = Graph> {
    (
        1usize..40,
        proptest::collection::vec((0u32..40, 0u32..40, 0u32..5), 0..120),
        any::<bool>(),
    )
        .prop_map(|(n, edges, directed)| {
            let direction = if directed {
                Direction::Directed
            } else {
                Direction::Undirected
            };
            let mut b = GraphBuilder::new(direction);
            let ids: Vec<NodeId> = (0..n)
                .map(|i| b.add_node(&format!("v{i}"), None, None))
                .collect();
            for (u, v, w) in edges {
                let (u, v) = (ids[u as usize % n], ids[v as usize % n]);
                b.add_edge(u, v, f64::from(w) + 0.5, None, None).unwrap();
            }
            b.build().unwrap()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn degree_sum_is_twice_the_edges(g in arb_graph()) {
        let total: u64 = degree(&g).iter().sum();
        prop_assert_eq!(total, 2 * g.edge_count() as u64);
        let wsum: f64 = weighted_degree(&g).iter().sum();
        let w2: f64 = 2.0 * g.edges().iter().map(|e| e.weight).sum::<f64>();
        prop_assert!((wsum - w2).abs() < 1e-9 * w2.max(1.0));
    }

    #[test]
    fn components_partition_the_nodes(g in arb_graph()) {
        let c = connected_components(&g);
        prop_assert_eq!(c.component.len(), g.node_count());
        prop_assert_eq!(c.sizes.iter().map(|&s| s as usize).sum::<usize>(), g.node_count());
        for e in g.edges() {
            prop_assert_eq!(c.component[e.source.index()], c.component[e.target.index()]);
        }
    }

    #[test]
    fn k_core_is_monotone_and_bounded_by_degree(g in arb_graph()) {
        let core = core_number(&g);
        let deg = degree(&g);
        for v in g.nodes() {
            prop_assert!(u64::from(core[v.index()]) <= deg[v.index()]);
        }
        // Every node of the k-core has at least k neighbours (edge ends) inside it.
        let kmax = core.iter().copied().max().unwrap_or(0);
        for k in 1..=kmax {
            let mut inside = vec![0u32; g.node_count()];
            for e in g.edges() {
                let (s, t) = (e.source.index(), e.target.index());
                if s != t && core[s] >= k && core[t] >= k {
                    inside[s] += 1;
                    inside[t] += 1;
                }
            }
            for v in g.nodes() {
                if core[v.index()] >= k {
                    prop_assert!(inside[v.index()] >= k);
                }
            }
        }
    }

    #[test]
    fn betweenness_is_non_negative_and_sampling_is_reproducible(g in arb_graph(), seed in 0u64..4) {
        let exact = path_centrality(&g, &PathCentralityOptions { sampling: Sampling::Exact, ..Default::default() }).unwrap();
        prop_assert!(exact.betweenness.iter().all(|&b| b >= 0.0 && b.is_finite()));
        prop_assert!(exact.closeness.iter().all(|&c| (0.0..=1.0 + 1e-12).contains(&c)));
        let opts = PathCentralityOptions { sampling: Sampling::Sources { sources: 3, seed }, ..Default::default() };
        let a = path_centrality(&g, &opts).unwrap();
        let b = path_centrality(&g, &opts).unwrap();
        prop_assert_eq!(a.betweenness, b.betweenness);
    }

    #[test]
    fn pagerank_sums_to_one(g in arb_graph()) {
        let pr = pagerank(&g, &PageRankOptions::default()).unwrap();
        let sum: f64 = pr.iter().sum();
        prop_assert!((sum - 1.0).abs() < 1e-9, "sum {}", sum);
        prop_assert!(pr.iter().all(|&x| x > 0.0));
    }

    #[test]
    fn communities_cover_every_node_and_modularity_is_bounded(g in arb_graph(), seed in 0u64..4) {
        let c = louvain(&g, &LouvainOptions { seed, ..Default::default() });
        prop_assert_eq!(c.community.len(), g.node_count());
        prop_assert!(c.community.iter().all(|&x| (x as usize) < c.count));
        prop_assert!(c.modularity <= 1.0 && c.modularity >= -0.5 - 1e-12);
    }

    #[test]
    fn bridges_disconnect_their_endpoints(g in arb_graph()) {
        let b = brokers(&g);
        let before = connected_components(&g).count();
        for &(u, v) in &b.bridges {
            let mut builder = GraphBuilder::new(Direction::Undirected);
            for x in g.nodes() {
                builder.add_node(g.key(x), None, None);
            }
            for e in g.edges() {
                let (s, t) = (e.source.min(e.target), e.source.max(e.target));
                if (s, t) != (u, v) {
                    builder.add_edge(e.source, e.target, 1.0, None, None).unwrap();
                }
            }
            let h = builder.build().unwrap();
            prop_assert_eq!(connected_components(&h).count(), before + 1);
        }
    }
}
