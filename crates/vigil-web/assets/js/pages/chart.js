// The link chart of a case: the case's entities and links from the API drawn as an interactive
// graph. Filter by kind, expand or hide nodes, highlight key players (betweenness) or communities,
// find the shortest path between two nodes, export SVG, PNG or GraphML.

import { start } from '../shell.js';
import { get } from '../api.js';
import { h, replace, words, pathId, setTitle, errorBox, saveBlob, select, field, message } from '../ui.js';
import { SCHEMA_COLOURS } from '../entity-form.js';
import { Graph } from '../chart/graph.js';
import { layout } from '../chart/layout.js';
import { ChartView } from '../chart/view.js';
import { svgBlob, pngBlob, graphml } from '../chart/export.js';

// Colour-blind-safe palette (Okabe–Ito, darkened for contrast) for communities.
const COMMUNITY = ['#0b5fa5', '#b35c00', '#1c7a56', '#a3262a', '#6b3f8f', '#7a5c00', '#00606b', '#5a5a5a'];
const MAX_INITIAL = 200;

start(async (m) => {
  const id = pathId('cases');
  let detail;
  let ents;
  let links;
  try {
    [detail, ents, links] = await Promise.all([get(`/cases/${id}`), get(`/cases/${id}/entities`), get(`/cases/${id}/links`)]);
  } catch (err) {
    replace(m, h('h1', {}, 'Link chart'), errorBox(err));
    return;
  }
  const c = detail.case;
  setTitle(`Link chart · ${c.number}`);
  m.classList.add('wide');
  // The graph engine's chart (GET /cases/{id}/graph: Louvain communities, exact metrics, victims
  // pseudonymised) when the server has it; otherwise the case's own entities and links, with
  // the analyses computed here.
  let engine = null;
  try {
    engine = await get(`/cases/${id}/graph`);
  } catch (err) {
    if (err.status !== 404) throw err;
  }
  let graph;
  let degree;
  let betweenness;
  let communities;
  if (engine) {
    graph = new Graph(
      engine.nodes.map((n) => ({ id: n.id, caption: n.label, schema: n.type, pseudonymised: n.pseudonymised })),
      engine.edges.map((e, i) => ({ id: `${e.record_id}-${i}`, source_id: e.source, target_id: e.target, link_type: e.type })),
    );
    degree = graph.degree();
    betweenness = new Map(engine.nodes.map((n) => [n.id, n.metrics ? n.metrics.betweenness : 0]));
    communities = new Map(engine.nodes.map((n) => [n.id, n.metrics ? n.metrics.community : 0]));
  } else {
    graph = new Graph(ents.items, links.items);
    degree = graph.degree();
    betweenness = graph.betweenness();
    communities = graph.communities();
  }
  const source = engine
    ? 'By betweenness, from the graph engine (communities by Louvain).'
    : 'By betweenness: who connects the others. Computed in your browser from this case\'s links.';
  const openable = (nid) => {
    const n = graph.nodes.get(nid);
    return n && !n.entity.pseudonymised && !nid.startsWith('selector:') && !nid.startsWith('victim-');
  };
  const schemas = [...new Set([...graph.nodes.values()].map((n) => n.schema))].sort();

  // What is on the chart: `expanded` nodes (chosen), minus hidden kinds.
  const focus = new URLSearchParams(location.search).get('focus');
  let expanded = new Set();
  if (focus && graph.nodes.has(focus)) {
    expanded = new Set([focus, ...graph.neighbours(focus)]);
  } else {
    const byDegree = [...graph.nodes.keys()].sort((a, b) => degree.get(b) - degree.get(a));
    expanded = new Set(byDegree.slice(0, MAX_INITIAL));
  }
  const hiddenKinds = new Set();
  let mode = 'none';
  let selected = focus && graph.nodes.has(focus) ? focus : null;
  let path = [];
  let pos = new Map();

  const shown = () => new Set([...expanded].filter((n) => !hiddenKinds.has(graph.nodes.get(n).schema)));

  const box = h('div', { class: 'chart-box' });
  const view = new ChartView(box, { onSelect: (nid) => { selected = nid; redraw(); drawSide(); } });

  function relayout(keep) {
    const ids = [...shown()].sort();
    const fixed = new Set(keep ? [...pos.keys()].filter((k) => ids.includes(k)) : []);
    pos = layout(ids, graph.edges, { size: Math.max(600, Math.sqrt(ids.length) * 160), pos: keep ? pos : new Map(), fixed });
  }

  function nodeStyle(nid) {
    const n = graph.nodes.get(nid);
    let fill = SCHEMA_COLOURS[n.schema] || '#555';
    let r = 9;
    if (mode === 'key') r = 7 + Math.round(Math.sqrt(betweenness.get(nid) || 0) * 22) + Math.min(6, degree.get(nid));
    if (mode === 'communities') fill = COMMUNITY[communities.get(nid) % COMMUNITY.length];
    const onPath = path.includes(nid);
    const dim = path.length > 0 && !onPath;
    return {
      fill,
      r,
      stroke: nid === selected ? '#b35c00' : onPath ? '#1b1d1f' : '#ffffff',
      strokeWidth: nid === selected || onPath ? 3.5 : 1.5,
      opacity: dim ? 0.35 : 1,
    };
  }

  function edgeStyle(e) {
    const i = path.indexOf(e.source);
    const onPath = i >= 0 && (path[i + 1] === e.target || path[i - 1] === e.target);
    return { stroke: onPath ? '#b35c00' : '#7d847c', width: onPath ? 4 : 1.4, opacity: path.length && !onPath ? 0.25 : 0.9 };
  }

  function redraw() {
    const ids = shown();
    const nodes = [...ids].map((nid) => ({ ...graph.nodes.get(nid), style: nodeStyle(nid) }));
    const edges = graph.edges
      .filter((e) => ids.has(e.source) && ids.has(e.target))
      .map((e) => ({ ...e, label: `${graph.nodes.get(e.source).label} — ${words(e.type)} — ${graph.nodes.get(e.target).label}`, style: edgeStyle(e) }));
    view.draw(nodes, edges, pos);
    status.textContent = `${nodes.length} of ${graph.nodes.size} shown · ${edges.length} links`;
  }

  // Side panels.
  const selectedBox = h('div', { id: 'chart-selected' });
  const keyBox = h('div', { id: 'key-players' });
  const pathMsg = h('div', { id: 'path-result', 'aria-live': 'polite' });
  const status = h('p', { class: 'muted small', id: 'chart-status' });

  function drawSide() {
    if (!selected || !graph.nodes.has(selected)) {
      replace(selectedBox, h('p', { class: 'muted' }, 'Select a node to see it here. Drag nodes to move them; drag the background to pan; use the wheel to zoom.'));
      return;
    }
    const n = graph.nodes.get(selected);
    const hidden = [...graph.neighbours(selected)].filter((x) => !expanded.has(x)).length;
    replace(selectedBox,
      h('h3', {}, n.label),
      h('dl', { class: 'props' },
        h('dt', {}, 'Kind'), h('dd', {}, n.schema),
        h('dt', {}, 'Links'), h('dd', {}, String(degree.get(selected))),
        h('dt', {}, 'Betweenness'), h('dd', {}, (betweenness.get(selected) || 0).toFixed(3)),
        h('dt', {}, 'Community'), h('dd', {}, String(communities.get(selected) + 1))),
      h('div', { class: 'actions' },
        openable(selected) ? h('a', { class: 'button small secondary', href: `/entities/${selected}` }, 'Open') : null,
        h('button', { type: 'button', class: 'small', id: 'expand-node', disabled: hidden === 0 ? true : null, onclick: () => {
          for (const x of graph.neighbours(selected)) expanded.add(x);
          relayout(true);
          redraw();
          drawSide();
        } }, hidden ? `Expand (${hidden} more)` : 'Expanded'),
        h('button', { type: 'button', class: 'small secondary', onclick: () => {
          expanded.delete(selected);
          selected = null;
          redraw();
          drawSide();
        } }, 'Hide')));
  }

  function drawKeyPlayers() {
    const top = [...graph.nodes.keys()].sort((a, b) => betweenness.get(b) - betweenness.get(a) || degree.get(b) - degree.get(a)).slice(0, 6);
    replace(keyBox, h('ol', { class: 'small' }, top.map((nid) => h('li', {}, h('button', { type: 'button', class: 'linklike', onclick: () => {
      selected = nid;
      expanded.add(nid);
      relayout(true);
      redraw();
      drawSide();
    } }, graph.nodes.get(nid).label), ` · ${degree.get(nid)} links`))));
  }

  const kinds = h('fieldset', { id: 'kind-filter' }, h('legend', {}, 'Show'),
    h('div', { class: 'legend' }, schemas.map((sc) => {
      const cb = h('input', { type: 'checkbox', checked: true, value: sc, name: 'kind' });
      cb.addEventListener('change', () => {
        if (cb.checked) hiddenKinds.delete(sc); else hiddenKinds.add(sc);
        relayout(true);
        redraw();
      });
      const sw = h('span', { class: 'swatch', 'aria-hidden': 'true' });
      sw.style.background = SCHEMA_COLOURS[sc] || '#555';
      return h('label', { class: 'inline' }, cb, sw, sc);
    })));

  const modeSel = select('mode', [['none', 'kind of entity'], ['key', 'key players (size)'], ['communities', 'communities (colour)']], 'none');
  modeSel.id = 'highlight-mode';
  modeSel.addEventListener('change', () => {
    mode = modeSel.value;
    redraw();
  });

  const opts = [...graph.nodes.values()].sort((a, b) => a.label.localeCompare(b.label)).map((n) => [n.id, `${n.label} (${n.schema})`]);
  const from = select('from', opts, selected || opts[0]?.[0]);
  const to = select('to', opts, opts[1]?.[0]);
  from.id = 'path-from';
  to.id = 'path-to';
  const findPath = h('button', { type: 'button', id: 'find-path' }, 'Find path');
  findPath.addEventListener('click', () => {
    path = graph.shortestPath(from.value, to.value);
    if (!path.length) {
      replace(pathMsg, message('notice', 'These two are not connected through this case\'s links.'));
    } else {
      for (const p of path) expanded.add(p);
      relayout(true);
      replace(pathMsg, message('success', `${path.length - 1} step${path.length === 2 ? '' : 's'}: ${path.map((p) => graph.nodes.get(p).label).join(' → ')}`));
    }
    redraw();
  });
  const clearPath = h('button', { type: 'button', class: 'secondary' }, 'Clear');
  clearPath.addEventListener('click', () => {
    path = [];
    replace(pathMsg);
    redraw();
  });

  const toolbar = h('div', { class: 'toolbar' },
    h('button', { type: 'button', class: 'secondary', 'aria-label': 'Zoom in', onclick: () => view.zoom(1.25) }, '+'),
    h('button', { type: 'button', class: 'secondary', 'aria-label': 'Zoom out', onclick: () => view.zoom(0.8) }, '−'),
    h('button', { type: 'button', class: 'secondary', onclick: () => view.fit() }, 'Fit'),
    h('button', { type: 'button', class: 'secondary', onclick: () => { relayout(false); redraw(); view.fit(); } }, 'Re-arrange'),
    h('button', { type: 'button', class: 'secondary', id: 'show-all', onclick: () => { expanded = new Set(graph.nodes.keys()); relayout(true); redraw(); view.fit(); } }, 'Show everything'),
    h('span', { class: 'muted small' }, 'Export:'),
    h('button', { type: 'button', class: 'secondary', id: 'export-svg', onclick: () => saveBlob(svgBlob(view), `${c.number}-chart.svg`) }, 'SVG'),
    h('button', { type: 'button', class: 'secondary', id: 'export-png', onclick: async () => saveBlob(await pngBlob(view), `${c.number}-chart.png`) }, 'PNG'),
    h('button', { type: 'button', class: 'secondary', id: 'export-graphml', onclick: () => saveBlob(graphml(graph, shown(), { degree, betweenness, communities }), `${c.number}-chart.graphml`) }, 'GraphML'),
    status);

  replace(m,
    h('p', { class: 'muted' }, h('a', { href: `/cases/${id}` }, `${c.number} ${c.title}`), ' › Link chart'),
    h('h1', {}, 'Link chart'),
    toolbar,
    h('div', { class: 'chart-layout' },
      box,
      h('aside', { class: 'chart-side' },
        h('section', { class: 'panel' }, h('h2', {}, 'Selected'), selectedBox),
        h('section', { class: 'panel' }, kinds, field('Colour and size by', modeSel)),
        h('section', { class: 'panel' }, h('h2', {}, 'Shortest path'), field('From', from), field('To', to), h('div', { class: 'actions' }, findPath, clearPath), pathMsg),
        h('section', { class: 'panel' }, h('h2', {}, 'Key players'), h('p', { class: 'muted small', id: 'key-source' }, source), keyBox))));

  if (!graph.nodes.size) {
    box.append(h('p', { class: 'notice' }, 'This case has no people or things yet.'));
  }
  relayout(false);
  redraw();
  view.fit();
  drawSide();
  drawKeyPlayers();
}, { wide: true });
