// The audit trail of my agency (supervisors): search by who, what, object, outcome and time, and
// export as JSON Lines. Reading the trail is itself audited by the API.

import { start } from '../shell.js';
import { get, download, query } from '../api.js';
import { h, replace, table, field, select, when, onSubmit, saveBlob, setTitle, message, errorBox } from '../ui.js';

start(async (m) => {
  setTitle('Audit trail');
  const results = h('div', { id: 'audit-results' });
  const users = new Map();
  try {
    for (const u of (await get('/users')).items) users.set(u.id, `${u.display_name} (${u.username})`);
  } catch (_) {
    // Ids are shown instead of names.
  }
  const actor = select('actor', [['', 'anyone'], ...[...users.entries()].sort((a, b) => a[1].localeCompare(b[1]))], '');
  const form = h('form', { class: 'inline-form', id: 'audit-form' },
    field('Who', actor),
    field('Action starts with', h('input', { name: 'action', placeholder: 'e.g. auth. or case.read' })),
    field('Object id', h('input', { name: 'object_id' })),
    field('Outcome', select('outcome', [['', 'any'], ['success', 'success'], ['denied', 'denied'], ['failed', 'failed']], '')),
    field('From', h('input', { name: 'from', type: 'date' })),
    field('To', h('input', { name: 'to', type: 'date' })),
    h('button', { type: 'submit' }, 'Search'),
    h('button', { type: 'button', class: 'secondary', id: 'audit-export' }, 'Export JSON Lines'));
  const params = () => {
    const d = new FormData(form);
    const day = (v, end) => (v ? `${v}T${end ? '23:59:59' : '00:00:00'}Z` : '');
    return { actor: d.get('actor'), action: d.get('action'), object_id: d.get('object_id'), outcome: d.get('outcome'), from: day(d.get('from')), to: day(d.get('to'), true) };
  };
  onSubmit(form, async () => {
    const items = (await get(`/audit${query({ ...params(), limit: 500 })}`)).items;
    replace(results, table([
      { label: '#', cell: (e) => String(e.seq), class: 'num' },
      { label: 'When', cell: (e) => when(e.at) },
      { label: 'Who', cell: (e) => (e.actor_user ? users.get(e.actor_user) || e.actor_user : 'system') },
      { label: 'Action', cell: (e) => h('span', { class: 'mono' }, e.action) },
      { label: 'Object', cell: (e) => h('span', { class: 'mono small' }, `${e.object_kind} ${e.object_id || ''}`) },
      { label: 'Outcome', cell: (e) => e.outcome },
      { label: 'Detail', cell: (e) => h('span', { class: 'mono small' }, e.detail) },
    ], items, { empty: 'No events match.', caption: `${items.length} event${items.length === 1 ? '' : 's'} (newest search limit 500)` }));
  });
  // Exporting is a privileged function: the API may first ask the person to confirm it's them.
  const exportStatus = h('div', { id: 'audit-export-status', 'aria-live': 'polite' });
  const exportButton = form.querySelector('#audit-export');
  exportButton.addEventListener('click', async () => {
    exportButton.disabled = true;
    replace(exportStatus);
    try {
      const blob = await download(`/audit/export${query(params())}`);
      saveBlob(blob, `vigil-audit-${new Date().toISOString().slice(0, 10)}.jsonl`);
      replace(exportStatus, message('success', `Exported the matching events (${blob.size.toLocaleString()} bytes of JSON Lines).`));
    } catch (err) {
      replace(exportStatus, errorBox(err));
    } finally {
      exportButton.disabled = false;
    }
  });
  replace(m, h('h1', {}, 'Audit trail'), h('p', { class: 'muted' }, 'Every sign-in, read, change and refusal in your agency. Searching and exporting are recorded too.'),
    h('section', { class: 'panel' }, form, exportStatus, results));
  form.requestSubmit();
});
