// The link chart's graph model and the small analyses it runs in the browser on what the API
// returned for one case: degree, betweenness (Brandes), communities (label propagation) and the
// shortest path (breadth-first). Nothing here decides access: it only sees what the API sent.

export class Graph {
  constructor(entities, links) {
    this.nodes = new Map();
    for (const e of entities) {
      this.nodes.set(e.id, { id: e.id, label: e.caption || e.schema, schema: e.schema, entity: e });
    }
    this.edges = links
      .filter((l) => this.nodes.has(l.source_id) && this.nodes.has(l.target_id) && l.source_id !== l.target_id)
      .map((l) => ({ id: l.id, source: l.source_id, target: l.target_id, type: l.link_type, description: l.description || '' }));
    this.adj = new Map([...this.nodes.keys()].map((id) => [id, new Set()]));
    for (const e of this.edges) {
      this.adj.get(e.source).add(e.target);
      this.adj.get(e.target).add(e.source);
    }
  }

  neighbours(id) {
    return this.adj.get(id) || new Set();
  }

  // Degree of every node (distinct neighbours).
  degree() {
    const d = new Map();
    for (const [id, ns] of this.adj) d.set(id, ns.size);
    return d;
  }

  // Unweighted, undirected betweenness centrality (Brandes 2001), normalised to 0..1.
  betweenness() {
    const ids = [...this.nodes.keys()];
    const cb = new Map(ids.map((id) => [id, 0]));
    for (const s of ids) {
      const stack = [];
      const pred = new Map(ids.map((id) => [id, []]));
      const sigma = new Map(ids.map((id) => [id, 0]));
      const dist = new Map(ids.map((id) => [id, -1]));
      sigma.set(s, 1);
      dist.set(s, 0);
      const queue = [s];
      for (let qi = 0; qi < queue.length; qi++) {
        const v = queue[qi];
        stack.push(v);
        for (const w of this.adj.get(v)) {
          if (dist.get(w) < 0) {
            queue.push(w);
            dist.set(w, dist.get(v) + 1);
          }
          if (dist.get(w) === dist.get(v) + 1) {
            sigma.set(w, sigma.get(w) + sigma.get(v));
            pred.get(w).push(v);
          }
        }
      }
      const delta = new Map(ids.map((id) => [id, 0]));
      while (stack.length) {
        const w = stack.pop();
        for (const v of pred.get(w)) delta.set(v, delta.get(v) + (sigma.get(v) / sigma.get(w)) * (1 + delta.get(w)));
        if (w !== s) cb.set(w, cb.get(w) + delta.get(w));
      }
    }
    const n = ids.length;
    const norm = n > 2 ? (n - 1) * (n - 2) : 1;
    for (const [id, v] of cb) cb.set(id, v / norm);
    return cb;
  }

  // Communities by label propagation, in a fixed node order so the result is the same each time.
  communities() {
    const ids = [...this.nodes.keys()].sort();
    const label = new Map(ids.map((id, i) => [id, i]));
    for (let round = 0; round < 30; round++) {
      let changed = false;
      for (const id of ids) {
        const counts = new Map();
        for (const n of this.adj.get(id)) counts.set(label.get(n), (counts.get(label.get(n)) || 0) + 1);
        if (!counts.size) continue;
        let best = label.get(id);
        let bestCount = counts.get(best) || 0;
        for (const [l, c] of counts) {
          if (c > bestCount || (c === bestCount && l < best)) {
            best = l;
            bestCount = c;
          }
        }
        if (best !== label.get(id)) {
          label.set(id, best);
          changed = true;
        }
      }
      if (!changed) break;
    }
    // Renumber 0..k-1 by size, largest first.
    const sizes = new Map();
    for (const l of label.values()) sizes.set(l, (sizes.get(l) || 0) + 1);
    const order = [...sizes.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([l]) => l);
    const renum = new Map(order.map((l, i) => [l, i]));
    return new Map([...label.entries()].map(([id, l]) => [id, renum.get(l)]));
  }

  // The shortest path from a to b as a list of node ids (empty when there is none), within the
  // nodes `allowed` (all when undefined).
  shortestPath(a, b, allowed) {
    if (!this.nodes.has(a) || !this.nodes.has(b)) return [];
    const prev = new Map([[a, null]]);
    const queue = [a];
    for (let qi = 0; qi < queue.length; qi++) {
      const v = queue[qi];
      if (v === b) break;
      for (const w of [...this.adj.get(v)].sort()) {
        if (prev.has(w) || (allowed && !allowed.has(w))) continue;
        prev.set(w, v);
        queue.push(w);
      }
    }
    if (!prev.has(b)) return [];
    const path = [];
    for (let v = b; v !== null; v = prev.get(v)) path.push(v);
    return path.reverse();
  }
}
