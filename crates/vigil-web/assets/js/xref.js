// Cross-referencing on case and entity pages: match candidates with their explanations (each
// field compared, both normalised values, its weight), judgements (same, different, unsure,
// undo), deconfliction notices, and records judged the same. The API decides what is shown.

import { get, post, query } from './api.js';
import { h, replace, table, badge, when, words, errorBox, message } from './ui.js';

const pct = (p) => `${(p * 100).toFixed(p > 0.99 || p < 0.01 ? 1 : 0)}%`;

function explanation(c) {
  const e = c.explanation;
  return h('details', {},
    h('summary', {}, `${e.total_bits >= 0 ? '+' : ''}${e.total_bits.toFixed(1)} bits of evidence`),
    table([
      { label: 'Field', cell: (x) => words(x.field) },
      { label: 'Compared', cell: (x) => words(x.level) },
      { label: 'This record', cell: (x) => h('span', { class: 'mono small' }, x.left) },
      { label: 'Other record', cell: (x) => h('span', { class: 'mono small' }, x.right) },
      { label: 'Weight', cell: (x) => `${x.bits >= 0 ? '+' : ''}${x.bits.toFixed(1)}`, class: 'num' },
    ], e.evidence),
    e.generic.length ? h('ul', { class: 'small' }, e.generic.map((g) => h('li', {}, `${words(g.field)}: ${g.reason}`))) : null);
}

function side(s, caseId) {
  return [h('a', { href: `/entities/${s.entity_id}` }, s.caption), s.case_id !== caseId ? h('span', { class: 'muted small' }, ' (another case)') : null];
}

// The candidates of a case (optionally only those involving `entityId`), with judgement buttons.
export function xrefPanel(caseId, { entityId } = {}) {
  const box = h('div', { id: 'xref-candidates' });
  const status = h('select', { name: 'status', 'aria-label': 'Which candidates' },
    ['open', 'same', 'different', 'unsure', 'all'].map((s) => h('option', { value: s }, s === 'open' ? 'to review' : s)));
  async function load() {
    const r = await get(`/cases/${caseId}/xref/candidates${query({ status: status.value })}`);
    const items = entityId ? r.items.filter((c) => c.a.entity_id === entityId || c.b.entity_id === entityId) : r.items;
    const notices = entityId ? r.notices.filter((n) => n.entity_id === entityId) : r.notices;
    const judge = (c, decision) => async () => {
      try {
        await post(`/xref/candidates/${c.id}/judgements${decision === 'undo' ? '/undo' : ''}`, decision === 'undo' ? undefined : { decision });
        await load();
      } catch (err) {
        box.prepend(errorBox(err));
      }
    };
    replace(box,
      notices.map((n) => message('notice', n.message)),
      table([
        { label: 'Record', cell: (c) => side(c.a.case_id === caseId ? c.a : c.b, caseId) },
        { label: 'Possible match', cell: (c) => side(c.a.case_id === caseId ? c.b : c.a, caseId) },
        { label: 'Probability', cell: (c) => [pct(c.probability), c.generic ? [' ', badge('open', 'generic value')] : null], class: 'nowrap' },
        { label: 'Why', cell: explanation },
        { label: 'Judged', cell: (c) => (c.status === 'open' ? '—' : [badge(c.status === 'same' ? 'active' : 'closed', c.status), c.history[0] ? h('span', { class: 'muted small' }, ` ${when(c.history[0].judged_at)}`) : null]) },
        { label: '', cell: (c) => h('span', { class: 'row' },
          ['same', 'different', 'unsure'].filter((d) => d !== c.status).map((d) => h('button', { type: 'button', class: 'small secondary', dataset: { judge: d }, onclick: judge(c, d) }, d)),
          c.status !== 'open' ? h('button', { type: 'button', class: 'small secondary', onclick: judge(c, 'undo') }, 'undo') : null) },
      ], items, { empty: status.value === 'open' ? 'Nothing to review.' : 'None.' }));
  }
  status.addEventListener('change', () => load().catch((err) => replace(box, errorBox(err))));
  const run = h('button', { type: 'button', class: 'secondary', id: 'xref-run' }, 'Cross-reference now');
  run.addEventListener('click', async () => {
    run.disabled = true;
    try {
      await post(`/cases/${caseId}/xref`);
      await load();
    } catch (err) {
      box.prepend(errorBox(err));
    } finally {
      run.disabled = false;
    }
  });
  const root = h('div', {}, h('div', { class: 'toolbar' }, status, entityId ? null : run), box);
  return { root, load: () => load().catch((err) => replace(box, err.status === 404 ? h('p', { class: 'muted' }, 'Cross-referencing is not available.') : errorBox(err))) };
}

// Records judged the same as this entity (a cluster over ids; nothing is merged).
export async function sameAs(entityId) {
  try {
    const r = await get(`/entities/${entityId}/same-as`);
    return table([
      { label: 'Record', cell: (m) => h('a', { href: `/entities/${m.entity_id}` }, m.caption) },
      { label: 'Case', cell: (m) => h('a', { href: `/cases/${m.case_id}` }, 'open case') },
    ], r.members.filter((m) => m.entity_id !== entityId), { empty: 'No record has been judged the same as this one.' });
  } catch (err) {
    return err.status === 404 ? h('p', { class: 'muted' }, 'Not available.') : errorBox(err);
  }
}
