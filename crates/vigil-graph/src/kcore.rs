//! k-core decomposition (Batagelj–Zaversnik, O(m)): each node's core number.
//!
//! As networkx's `core_number`, a directed node's degree is in-degree plus out-degree. networkx
//! refuses graphs with self-loops; here self-loops are ignored (they cannot hold a node in a core).

use crate::Graph;

pub fn core_number(g: &Graph) -> Vec<u32> {
    let n = g.node_count();
    let mut deg = vec![0u32; n];
    for e in g.edges() {
        if e.source != e.target {
            deg[e.source.index()] += 1;
            deg[e.target.index()] += 1;
        }
    }
    let max_deg = deg.iter().copied().max().unwrap_or(0) as usize;
    // Bucket sort nodes by degree.
    let mut bin = vec![0usize; max_deg + 2];
    for &d in &deg {
        bin[d as usize + 1] += 1;
    }
    for i in 0..=max_deg {
        bin[i + 1] += bin[i];
    }
    let mut pos = vec![0usize; n];
    let mut vert = vec![0u32; n];
    {
        let mut next = bin.clone();
        for v in 0..n {
            let d = deg[v] as usize;
            pos[v] = next[d];
            vert[next[d]] = v as u32;
            next[d] += 1;
        }
    }
    let directed = g.is_directed();
    for i in 0..n {
        let v = vert[i] as usize;
        let dv = deg[v];
        let mut visit = |u: usize| {
            if u == v || deg[u] <= dv {
                return;
            }
            let du = deg[u] as usize;
            let pu = pos[u];
            let pw = bin[du];
            let w = vert[pw] as usize;
            if u != w {
                pos[u] = pw;
                vert[pu] = w as u32;
                pos[w] = pu;
                vert[pw] = u as u32;
            }
            bin[du] += 1;
            deg[u] -= 1;
        };
        for &u in g.out.neighbours(v) {
            visit(u as usize);
        }
        if directed {
            for &u in g.inc.neighbours(v) {
                visit(u as usize);
            }
        }
    }
    deg
}
