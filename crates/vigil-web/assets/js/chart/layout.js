// A force-directed layout (Fruchterman–Reingold with a cooling schedule) for the link chart.
// Start positions come from a hash of each id, so the same case draws the same way every time.

function hash(str) {
  let x = 2166136261;
  for (let i = 0; i < str.length; i++) {
    x ^= str.charCodeAt(i);
    x = Math.imul(x, 16777619);
  }
  return (x >>> 0) / 4294967296;
}

// Lays out `ids` (with `edges` among them) in a square of side `size`; keeps positions already in
// `pos` for nodes marked in `fixed`. Returns a Map id → {x, y}.
export function layout(ids, edges, { size = 1000, iterations = 300, pos = new Map(), fixed = new Set() } = {}) {
  const n = ids.length;
  const out = new Map();
  if (!n) return out;
  ids.forEach((id) => {
    const p = pos.get(id);
    out.set(id, p ? { x: p.x, y: p.y } : { x: hash(id) * size, y: hash(`${id}~`) * size });
  });
  if (n === 1) {
    const only = out.get(ids[0]);
    if (!pos.has(ids[0])) Object.assign(only, { x: size / 2, y: size / 2 });
    return out;
  }
  const k = Math.sqrt((size * size) / n) * 0.75;
  let t = size / 10;
  const cool = t / (iterations + 1);
  const list = ids.map((id) => out.get(id));
  const index = new Map(ids.map((id, i) => [id, i]));
  const e2 = edges.filter((e) => index.has(e.source) && index.has(e.target)).map((e) => [index.get(e.source), index.get(e.target)]);
  const dx = new Float64Array(n);
  const dy = new Float64Array(n);
  for (let it = 0; it < iterations; it++) {
    dx.fill(0);
    dy.fill(0);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        let x = list[i].x - list[j].x;
        let y = list[i].y - list[j].y;
        let d2 = x * x + y * y;
        if (d2 < 0.01) {
          x = 0.1 * (i - j);
          y = 0.1;
          d2 = x * x + y * y;
        }
        const f = (k * k) / d2;
        dx[i] += x * f;
        dy[i] += y * f;
        dx[j] -= x * f;
        dy[j] -= y * f;
      }
    }
    for (const [a, b] of e2) {
      const x = list[a].x - list[b].x;
      const y = list[a].y - list[b].y;
      const d = Math.sqrt(x * x + y * y) || 0.01;
      const f = d / k;
      dx[a] -= x * f;
      dy[a] -= y * f;
      dx[b] += x * f;
      dy[b] += y * f;
    }
    // A weak pull to the centre keeps separate components on screen.
    for (let i = 0; i < n; i++) {
      dx[i] += (size / 2 - list[i].x) * 0.02 * k / size * n;
      dy[i] += (size / 2 - list[i].y) * 0.02 * k / size * n;
    }
    for (let i = 0; i < n; i++) {
      if (fixed.has(ids[i])) continue;
      const d = Math.sqrt(dx[i] * dx[i] + dy[i] * dy[i]) || 1;
      const step = Math.min(d, t);
      list[i].x += (dx[i] / d) * step;
      list[i].y += (dy[i] / d) * step;
    }
    t -= cool;
  }
  return out;
}
