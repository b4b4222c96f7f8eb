// Cases: search and filter the cases shared with me; open a new one.

import { start } from '../shell.js';
import { get, post, query } from '../api.js';
import { h, replace, table, badge, day, words, field, select, onSubmit, setTitle } from '../ui.js';

const STATUSES = ['open', 'active', 'referred_for_prosecution', 'closed'];
const TYPES = ['sex', 'labour', 'both', 'unknown'];

start(async (m) => {
  setTitle('Cases');
  const params = new URLSearchParams(location.search);
  const results = h('div', { id: 'case-results' });
  const q = h('input', { type: 'search', name: 'q', value: params.get('q') || '', placeholder: 'number or title' });
  const status = select('status', [['', 'any status'], ...STATUSES.map((s) => [s, words(s)])], params.get('status') || '');
  const filters = h('form', { class: 'inline-form', role: 'search', id: 'case-search' },
    field('Search', q), field('Status', status), h('button', { type: 'submit' }, 'Search'));
  filters.addEventListener('submit', (e) => {
    e.preventDefault();
    const next = query({ q: q.value.trim(), status: status.value });
    history.replaceState(null, '', `/cases${next}`);
    load();
  });

  async function load() {
    replace(results, h('p', { class: 'muted' }, 'Loading…'));
    const items = (await get(`/cases${query({ q: q.value.trim(), status: status.value })}`)).items;
    items.sort((a, b) => b.updated_at.localeCompare(a.updated_at));
    replace(results, table([
      { label: 'Number', cell: (c) => h('a', { href: `/cases/${c.id}` }, c.number), class: 'nowrap' },
      { label: 'Title', cell: (c) => c.title },
      { label: 'Type', cell: (c) => words(c.trafficking_type) },
      { label: 'Status', cell: (c) => [badge(c.status), c.sensitivity === 'restricted' ? [' ', badge('restricted')] : null] },
      { label: 'Opened', cell: (c) => day(c.created_at) },
      { label: 'Updated', cell: (c) => day(c.updated_at) },
    ], items, { empty: 'No cases match.', caption: `${items.length} case${items.length === 1 ? '' : 's'}` }));
  }

  const create = h('form', { class: 'stack', id: 'new-case' },
    field('Case number', h('input', { name: 'number', required: true, autocomplete: 'off' }), 'As your agency numbers cases, e.g. MVPD-2026-0142.'),
    field('Title', h('input', { name: 'title', required: true, maxlength: '200', autocomplete: 'off' })),
    field('Trafficking type', select('trafficking_type', TYPES.map((t) => [t, words(t)]), 'unknown')),
    field('Sensitivity', select('sensitivity', [['normal', 'normal — team and agency supervisors'], ['restricted', 'restricted — team only']], 'normal')),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Open case')));
  onSubmit(create, async (d) => {
    const c = await post('/cases', {
      number: String(d.get('number')).trim(),
      title: String(d.get('title')).trim(),
      trafficking_type: d.get('trafficking_type'),
      sensitivity: d.get('sensitivity'),
    });
    location.assign(`/cases/${c.id}`);
  });
  const details = h('details', { class: 'panel', id: 'new-case-panel' }, h('summary', {}, 'Open a new case'), create);
  if (params.has('new')) details.open = true;

  replace(m, h('div', { class: 'spread' }, h('h1', {}, 'Cases')), details, h('section', { class: 'panel' }, filters, results));
  await load();
});
