//! k-core decomposition (Batagelj–Zaversnik, O(m)): each node's core number.
//!
//! As networkx's `core_number`, a directed node's degree is in-degree plus out-degree. networkx
//! refuses graphs with self-loops; here self-loops are ignored (they cannot hold a node in a core).

use crate::Graph;

pub fn core_number(g: &Graph) -> Vec<u32> {
    let n = g.node_count();
    // Degrees without self-loops (each adds 2 to its node's degree).
    let mut deg: Vec<u32> = crate::degree(g).into_iter().map(|d| d as u32).collect();
    for &v in &g.self_loops {
        deg[v as usize] -= 2;
    }
    let max_deg = deg.iter().copied().max().unwrap_or(0) as usize;
    // Bucket sort nodes by degree: bin[d] is where degree d starts in vert; pos[v] is v's slot.
    let mut bin = vec![0u32; max_deg + 2];
    for &d in &deg {
        bin[d as usize + 1] += 1;
    }
    for i in 0..=max_deg {
        bin[i + 1] += bin[i];
    }
    let mut pos = vec![0u32; n];
    let mut vert = vec![0u32; n];
    {
        let mut next = bin.clone();
        for v in 0..n {
            let d = deg[v] as usize;
            pos[v] = next[d];
            vert[next[d] as usize] = v as u32;
            next[d] += 1;
        }
    }
    let mut peeling = Peeling {
        deg,
        pos,
        bin,
        vert,
    };
    for i in 0..n {
        let v = peeling.vert[i] as usize;
        peeling.remove(v, g.out.neighbours(v));
        if g.is_directed() {
            peeling.remove(v, g.inc.neighbours(v));
        }
    }
    peeling.deg
}

/// Batagelj–Zaversnik's arrays: current degrees, nodes sorted by them, and each degree's start.
struct Peeling {
    deg: Vec<u32>,
    pos: Vec<u32>,
    bin: Vec<u32>,
    vert: Vec<u32>,
}

impl Peeling {
    /// Takes `v` (of the lowest remaining degree) out: each neighbour of higher degree loses one,
    /// moving to the front of its bin and then into the bin below. A self-loop is skipped because
    /// `v`'s degree is not higher than its own.
    fn remove(&mut self, v: usize, neighbours: &[u32]) {
        let dv = self.deg[v];
        for &u in neighbours {
            let u = u as usize;
            let du = self.deg[u];
            if du <= dv {
                continue;
            }
            let pu = self.pos[u];
            let pw = self.bin[du as usize];
            let w = self.vert[pw as usize] as usize;
            if u != w {
                self.pos[u] = pw;
                self.vert[pu as usize] = w as u32;
                self.pos[w] = pu;
                self.vert[pw as usize] = u as u32;
            }
            self.bin[du as usize] += 1;
            self.deg[u] = du - 1;
        }
    }
}
