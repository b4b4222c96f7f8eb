// Exports of the link chart as shown: SVG (the drawing itself), PNG (the SVG rasterised on a
// canvas) and GraphML (nodes and edges with their kinds, for other analysis tools).

// A standalone SVG document of the drawn chart, framed to its content.
export function svgText(view) {
  const svg = view.svg.cloneNode(true);
  const vp = svg.querySelector('g.viewport');
  vp.removeAttribute('transform');
  const pts = [...view.nodeEls.keys()].map((id) => view.pos.get(id)).filter(Boolean);
  const xs = pts.map((p) => p.x);
  const ys = pts.map((p) => p.y);
  const x0 = (xs.length ? Math.min(...xs) : 0) - 60;
  const y0 = (ys.length ? Math.min(...ys) : 0) - 40;
  const w = (xs.length ? Math.max(...xs) : 100) + 60 - x0;
  const hgt = (ys.length ? Math.max(...ys) : 100) + 60 - y0;
  svg.setAttribute('viewBox', `${x0.toFixed(0)} ${y0.toFixed(0)} ${w.toFixed(0)} ${hgt.toFixed(0)}`);
  svg.setAttribute('width', w.toFixed(0));
  svg.setAttribute('height', hgt.toFixed(0));
  svg.removeAttribute('id');
  svg.removeAttribute('class');
  svg.querySelectorAll('[tabindex]').forEach((el) => el.removeAttribute('tabindex'));
  const bg = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  for (const [k, v] of Object.entries({ x: x0, y: y0, width: w, height: hgt, fill: '#ffffff' })) bg.setAttribute(k, String(v));
  svg.insertBefore(bg, svg.firstChild);
  return { text: `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(svg)}`, width: w, height: hgt };
}

export function svgBlob(view) {
  return new Blob([svgText(view).text], { type: 'image/svg+xml' });
}

// Rasterises the SVG at twice its size. A data: URL is used because the page's CSP allows
// images from 'self' and data: only.
export function pngBlob(view) {
  const { text, width, height } = svgText(view);
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => {
      const scale = 2;
      const canvas = document.createElement('canvas');
      canvas.width = Math.ceil(width * scale);
      canvas.height = Math.ceil(height * scale);
      const ctx = canvas.getContext('2d');
      ctx.scale(scale, scale);
      ctx.drawImage(img, 0, 0, width, height);
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the browser could not make a PNG'))), 'image/png');
    };
    img.onerror = () => reject(new Error('the browser could not draw the SVG'));
    const bytes = new TextEncoder().encode(text);
    let bin = '';
    for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    img.src = `data:image/svg+xml;base64,${btoa(bin)}`;
  });
}

const xml = (v) => String(v).replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]);

// GraphML of the shown nodes and edges, with label, schema and the analysis values as data keys.
export function graphml(graph, shown, metrics = {}) {
  const keys = [
    '<key id="label" for="node" attr.name="label" attr.type="string"/>',
    '<key id="schema" for="node" attr.name="schema" attr.type="string"/>',
    '<key id="degree" for="node" attr.name="degree" attr.type="int"/>',
    '<key id="betweenness" for="node" attr.name="betweenness" attr.type="double"/>',
    '<key id="community" for="node" attr.name="community" attr.type="int"/>',
    '<key id="type" for="edge" attr.name="type" attr.type="string"/>',
    '<key id="description" for="edge" attr.name="description" attr.type="string"/>',
  ];
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">', ...keys.map((k) => `  ${k}`), '  <graph id="case" edgedefault="undirected">'];
  for (const id of shown) {
    const n = graph.nodes.get(id);
    if (!n) continue;
    lines.push(`    <node id="${xml(id)}">`);
    lines.push(`      <data key="label">${xml(n.label)}</data>`);
    lines.push(`      <data key="schema">${xml(n.schema)}</data>`);
    if (metrics.degree) lines.push(`      <data key="degree">${metrics.degree.get(id) || 0}</data>`);
    if (metrics.betweenness) lines.push(`      <data key="betweenness">${(metrics.betweenness.get(id) || 0).toFixed(6)}</data>`);
    if (metrics.communities) lines.push(`      <data key="community">${metrics.communities.get(id) ?? 0}</data>`);
    lines.push('    </node>');
  }
  for (const e of graph.edges) {
    if (!shown.has(e.source) || !shown.has(e.target)) continue;
    lines.push(`    <edge id="${xml(e.id)}" source="${xml(e.source)}" target="${xml(e.target)}">`);
    lines.push(`      <data key="type">${xml(e.type)}</data>`);
    if (e.description) lines.push(`      <data key="description">${xml(e.description)}</data>`);
    lines.push('    </edge>');
  }
  lines.push('  </graph>', '</graphml>', '');
  return new Blob([lines.join('\n')], { type: 'application/graphml+xml' });
}
