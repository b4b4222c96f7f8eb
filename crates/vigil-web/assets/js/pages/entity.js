// An entity: its properties, the case it belongs to, and what it is linked to there. Records in
// other cases appear here once the cross-referencing API exists; today only this case is shown.

import { start } from '../shell.js';
import { get } from '../api.js';
import { h, replace, table, words, when, pathId, setTitle, errorBox } from '../ui.js';
import { entityEditForm } from '../entity-form.js';
import { xrefPanel, sameAs } from '../xref.js';

start(async (m) => {
  const id = pathId('entities');
  let e;
  try {
    e = await get(`/entities/${id}`);
  } catch (err) {
    replace(m, h('h1', {}, 'Entity'), errorBox(err));
    return;
  }
  setTitle(e.caption || e.schema);
  const [c, ents, links] = await Promise.all([
    get(`/cases/${e.case_id}`),
    get(`/cases/${e.case_id}/entities`),
    get(`/cases/${e.case_id}/links`),
  ]);
  const byId = new Map(ents.items.map((x) => [x.id, x]));
  const mine = links.items.filter((l) => l.source_id === e.id || l.target_id === e.id);
  const props = Object.entries(e.properties);
  const xref = xrefPanel(e.case_id, { entityId: e.id });
  replace(m,
    h('p', { class: 'muted' }, h('a', { href: `/cases/${c.case.id}` }, `${c.case.number} ${c.case.title}`), ' › ', e.schema),
    h('div', { class: 'spread' }, h('h1', { id: 'entity-caption' }, e.caption || '(unnamed)'),
      h('a', { class: 'button', href: `/cases/${e.case_id}/chart?focus=${encodeURIComponent(e.id)}` }, 'Show in link chart')),
    h('div', { class: 'grid2' },
      h('section', { class: 'panel' }, h('h2', {}, 'Details'),
        props.length ? h('dl', { class: 'props', id: 'entity-props' }, props.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v.join(', '))])) : h('p', { class: 'empty' }, 'No details recorded.'),
        h('p', { class: 'muted small' }, `Recorded ${when(e.created_at)} · updated ${when(e.updated_at)}`),
        h('details', {}, h('summary', { id: 'entity-edit-toggle' }, 'Edit details'), entityEditForm(e, async () => location.reload()))),
      h('section', { class: 'panel' }, h('h2', {}, 'Linked in this case'),
        table([
          { label: 'Link', cell: (l) => words(l.link_type) + (l.source_id === e.id ? ' →' : ' ←') },
          { label: 'With', cell: (l) => {
            const other = byId.get(l.source_id === e.id ? l.target_id : l.source_id);
            return other ? h('a', { href: `/entities/${other.id}` }, `${other.caption} (${other.schema})`) : '?';
          } },
          { label: 'Description', cell: (l) => l.description || '' },
        ], mine, { empty: 'Not linked to anything yet.' }))),
    h('section', { class: 'panel', id: 'same-as' }, h('h2', {}, 'Judged the same person or thing'), await sameAs(e.id)),
    e.schema === 'Person' ? h('section', { class: 'panel', id: 'matches' }, h('h2', {}, 'Possible matches in other records'), xref.root) : null);
  if (e.schema === 'Person') await xref.load();
});
