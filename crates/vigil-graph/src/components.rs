//! Connected components (weakly connected in a directed graph), numbered from 0 in order of
//! their lowest node id.

use crate::Graph;

/// Component ids per node and the size of each component.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Components {
    pub component: Vec<u32>,
    pub sizes: Vec<u32>,
}

impl Components {
    pub fn count(&self) -> usize {
        self.sizes.len()
    }
}

pub fn connected_components(g: &Graph) -> Components {
    let n = g.node_count();
    let mut component = vec![u32::MAX; n];
    let mut sizes = Vec::new();
    let mut stack: Vec<u32> = Vec::new();
    let directed = g.is_directed();
    for start in 0..n {
        if component[start] != u32::MAX {
            continue;
        }
        let c = sizes.len() as u32;
        let mut size = 0u32;
        component[start] = c;
        stack.push(start as u32);
        while let Some(v) = stack.pop() {
            size += 1;
            let v = v as usize;
            let ins: &[u32] = if directed { g.inc.neighbours(v) } else { &[] };
            for &u in g.out.neighbours(v).iter().chain(ins) {
                if component[u as usize] == u32::MAX {
                    component[u as usize] = c;
                    stack.push(u);
                }
            }
        }
        sizes.push(size);
    }
    Components { component, sizes }
}
