// The link chart's SVG view: draws nodes and edges, pans (drag the background), zooms (wheel or
// buttons), drags nodes, selects a node by click or keyboard. Styling comes from the page through
// presentation attributes, so an exported SVG looks the same without any stylesheet.

import { s, clear } from '../ui.js';

export class ChartView {
  constructor(container, { onSelect } = {}) {
    this.onSelect = onSelect || (() => {});
    this.svg = s('svg', { xmlns: 'http://www.w3.org/2000/svg', role: 'img', 'aria-label': 'Link chart', id: 'chart-svg' });
    this.viewport = s('g', { class: 'viewport' });
    this.edgeLayer = s('g', { class: 'edges' });
    this.nodeLayer = s('g', { class: 'nodes' });
    this.viewport.append(this.edgeLayer, this.nodeLayer);
    this.svg.append(this.viewport);
    container.append(this.svg);
    this.tx = 0;
    this.ty = 0;
    this.k = 1;
    this.pos = new Map();
    this.nodeEls = new Map();
    this.edgeEls = [];
    this.listen();
  }

  applyTransform() {
    this.viewport.setAttribute('transform', `translate(${this.tx.toFixed(1)} ${this.ty.toFixed(1)}) scale(${this.k.toFixed(4)})`);
  }

  // Draws `nodes` [{id, label, style}] and `edges` [{source, target, label, style}] at `pos`.
  draw(nodes, edges, pos) {
    this.pos = pos;
    clear(this.edgeLayer);
    clear(this.nodeLayer);
    this.nodeEls = new Map();
    this.edgeEls = [];
    for (const e of edges) {
      const a = pos.get(e.source);
      const b = pos.get(e.target);
      if (!a || !b) continue;
      const st = e.style;
      const line = s('line', { x1: a.x, y1: a.y, x2: b.x, y2: b.y, stroke: st.stroke, 'stroke-width': st.width, 'stroke-opacity': st.opacity, 'data-type': e.type });
      const title = s('title', {}, e.label);
      line.append(title);
      this.edgeLayer.append(line);
      this.edgeEls.push({ e, line });
    }
    for (const n of nodes) {
      const p = pos.get(n.id);
      if (!p) continue;
      const st = n.style;
      const g = s('g', { class: 'node', transform: `translate(${p.x.toFixed(1)} ${p.y.toFixed(1)})`, tabindex: '0', role: 'button', 'aria-label': `${n.label} (${n.schema})`, 'data-id': n.id, 'data-schema': n.schema, opacity: st.opacity });
      g.append(
        s('circle', { r: st.r, fill: st.fill, stroke: st.stroke, 'stroke-width': st.strokeWidth }),
        s('text', { y: st.r + 13, 'text-anchor': 'middle', 'font-size': '12', 'font-family': 'system-ui, sans-serif', fill: '#1b1d1f', stroke: '#ffffff', 'stroke-width': '3', 'paint-order': 'stroke' }, n.label.length > 28 ? `${n.label.slice(0, 27)}…` : n.label),
      );
      g.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter' || ev.key === ' ') {
          ev.preventDefault();
          this.onSelect(n.id);
        }
      });
      this.nodeLayer.append(g);
      this.nodeEls.set(n.id, g);
    }
    this.applyTransform();
  }

  moveNode(id, x, y) {
    const p = this.pos.get(id);
    if (!p) return;
    p.x = x;
    p.y = y;
    this.nodeEls.get(id)?.setAttribute('transform', `translate(${x.toFixed(1)} ${y.toFixed(1)})`);
    for (const { e, line } of this.edgeEls) {
      if (e.source === id) {
        line.setAttribute('x1', x);
        line.setAttribute('y1', y);
      } else if (e.target === id) {
        line.setAttribute('x2', x);
        line.setAttribute('y2', y);
      }
    }
  }

  // Fits every drawn node into the view.
  fit() {
    const pts = [...this.nodeEls.keys()].map((id) => this.pos.get(id)).filter(Boolean);
    const box = this.svg.getBoundingClientRect();
    if (!pts.length || !box.width) return;
    const xs = pts.map((p) => p.x);
    const ys = pts.map((p) => p.y);
    const [x0, x1, y0, y1] = [Math.min(...xs) - 40, Math.max(...xs) + 40, Math.min(...ys) - 40, Math.max(...ys) + 50];
    this.k = Math.min(1.4, Math.min(box.width / (x1 - x0), box.height / (y1 - y0)));
    this.tx = (box.width - (x1 - x0) * this.k) / 2 - x0 * this.k;
    this.ty = (box.height - (y1 - y0) * this.k) / 2 - y0 * this.k;
    this.applyTransform();
  }

  zoomAt(factor, cx, cy) {
    const k = Math.max(0.1, Math.min(8, this.k * factor));
    const f = k / this.k;
    this.tx = cx - (cx - this.tx) * f;
    this.ty = cy - (cy - this.ty) * f;
    this.k = k;
    this.applyTransform();
  }

  zoom(factor) {
    const box = this.svg.getBoundingClientRect();
    this.zoomAt(factor, box.width / 2, box.height / 2);
  }

  toChart(clientX, clientY) {
    const box = this.svg.getBoundingClientRect();
    return { x: (clientX - box.left - this.tx) / this.k, y: (clientY - box.top - this.ty) / this.k };
  }

  listen() {
    let drag = null;
    this.svg.addEventListener('pointerdown', (ev) => {
      const g = ev.target.closest ? ev.target.closest('g.node') : null;
      this.svg.setPointerCapture(ev.pointerId);
      this.svg.classList.add('dragging');
      if (g) {
        const id = g.getAttribute('data-id');
        const p = this.pos.get(id);
        const c = this.toChart(ev.clientX, ev.clientY);
        drag = { kind: 'node', id, ox: p.x - c.x, oy: p.y - c.y, sx: ev.clientX, sy: ev.clientY, moved: false };
      } else {
        drag = { kind: 'pan', sx: ev.clientX, sy: ev.clientY, tx: this.tx, ty: this.ty, moved: false };
      }
    });
    this.svg.addEventListener('pointermove', (ev) => {
      if (!drag) return;
      if (Math.abs(ev.clientX - drag.sx) + Math.abs(ev.clientY - drag.sy) > 3) drag.moved = true;
      if (drag.kind === 'node') {
        const c = this.toChart(ev.clientX, ev.clientY);
        this.moveNode(drag.id, c.x + drag.ox, c.y + drag.oy);
      } else {
        this.tx = drag.tx + ev.clientX - drag.sx;
        this.ty = drag.ty + ev.clientY - drag.sy;
        this.applyTransform();
      }
    });
    const end = () => {
      if (drag && drag.kind === 'node' && !drag.moved) this.onSelect(drag.id);
      if (drag && drag.kind === 'pan' && !drag.moved) this.onSelect(null);
      drag = null;
      this.svg.classList.remove('dragging');
    };
    this.svg.addEventListener('pointerup', end);
    this.svg.addEventListener('pointercancel', end);
    this.svg.addEventListener('wheel', (ev) => {
      ev.preventDefault();
      const box = this.svg.getBoundingClientRect();
      this.zoomAt(ev.deltaY < 0 ? 1.15 : 1 / 1.15, ev.clientX - box.left, ev.clientY - box.top);
    }, { passive: false });
  }
}
