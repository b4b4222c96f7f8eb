// Small DOM helpers. Text from the API always goes into text nodes or attributes through these
// helpers and is never parsed as HTML, so stored text can never become markup.

const SVG_NS = 'http://www.w3.org/2000/svg';

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

function setAttrs(el, attrs) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') {
      el.addEventListener(k.slice(2), v);
    } else if (k === 'dataset') {
      Object.assign(el.dataset, v);
    } else if (k === 'value' && 'value' in el) {
      // An input's attribute is also its default, so a form reset returns to it.
      if (el instanceof HTMLInputElement) el.setAttribute('value', String(v));
      el.value = v;
    } else {
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
}

// h('a', {href: '/cases'}, 'Cases') → <a href="/cases">Cases</a>
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function replace(el, ...children) {
  clear(el);
  append(el, children);
  return el;
}

export const main = () => document.getElementById('main');

// A message box: kind is notice | error | success | warning.
export function message(kind, text) {
  return h('p', { class: kind, role: kind === 'error' ? 'alert' : 'status' }, text);
}

// Human words for API error codes the user can act on.
export function explain(err) {
  if (!err) return '';
  if (err.status === 404) return 'Not found, or not shared with you.';
  // The step-up dialog was closed (its message says so), or a retry was refused again.
  if (err.code === 'STEP_UP_CANCELLED') return err.message;
  if (err.code === 'STEP_UP_REQUIRED') return 'This action needs you to confirm it\'s you again. Try it once more.';
  if (err.status === 403) return `Not allowed: ${err.message}.`;
  if (err.status === 0) return err.message;
  return err.message || 'Something went wrong.';
}

export function errorBox(err) {
  return message('error', explain(err));
}

// A date-time from RFC 3339 in the reader's locale, to the minute.
export function when(rfc3339) {
  if (!rfc3339) return '';
  const d = new Date(rfc3339);
  if (Number.isNaN(d.getTime())) return rfc3339;
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function day(rfc3339) {
  if (!rfc3339) return '';
  const d = new Date(rfc3339);
  if (Number.isNaN(d.getTime())) return rfc3339;
  return d.toLocaleDateString(undefined, { dateStyle: 'medium' });
}

// "referred_for_prosecution" → "referred for prosecution"
export const words = (code) => String(code || '').replaceAll('_', ' ');

export function badge(code, label) {
  return h('span', { class: `badge ${code}` }, label || words(code));
}

// A table from column specs [{label, cell: row => node|string, class}] and rows.
export function table(columns, rows, { empty = 'Nothing here yet.', caption } = {}) {
  if (!rows.length) return h('p', { class: 'empty' }, empty);
  return h(
    'table',
    {},
    caption ? h('caption', { class: 'muted small' }, caption) : null,
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.class }, c.label)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, columns.map((c) => h('td', { class: c.class }, c.cell(r)))))),
  );
}

// A labelled control. `control` is an input/select/textarea element; the label is tied to it.
let fieldSeq = 0;
export function field(label, control, hint) {
  if (!control.id) control.id = `f${++fieldSeq}`;
  const hintEl = hint ? h('span', { class: 'hint', id: `${control.id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { for: control.id }, label, hintEl), control);
}

export function select(name, options, value) {
  return h(
    'select',
    { name },
    options.map(([v, label]) => h('option', { value: v, selected: v === value ? true : null }, label)),
  );
}

// Wires a form: runs `handler(formData, form)`; shows errors in a box at the top of the form and
// disables the submit button while the call is in flight.
export function onSubmit(form, handler) {
  const box = h('div', { class: 'form-messages', 'aria-live': 'polite' });
  form.prepend(box);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const buttons = form.querySelectorAll('button[type="submit"], button:not([type])');
    buttons.forEach((b) => (b.disabled = true));
    clear(box);
    try {
      await handler(new FormData(form), form, box);
    } catch (err) {
      replace(box, errorBox(err));
      if (err && err.status === 400) {
        const f = /^([a-z_]+)[:.]/.exec(err.message || '');
        const bad = f && form.elements[f[1]];
        if (bad && bad.focus) {
          bad.setAttribute('aria-invalid', 'true');
          bad.focus();
        }
      }
    } finally {
      buttons.forEach((b) => (b.disabled = false));
    }
  });
  return form;
}

// The id segment after `/prefix/` in the current path.
export function pathId(prefix) {
  const parts = location.pathname.split('/').filter(Boolean);
  const i = parts.indexOf(prefix);
  return i >= 0 && parts[i + 1] ? decodeURIComponent(parts[i + 1]) : '';
}

// Saves a Blob under a file name (a temporary object URL on a download link).
export function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

export function setTitle(text) {
  document.title = `${text} · Vigil`;
}
