// A case: its facts and status, the team, entities, links, notes, tasks, protocol checklists,
// evidence (upload with progress, SHA-256, custody log), charges and timeline, with the forms that
// add to them. Every section is one API call; a section the API refuses says so.

import { start } from '../shell.js';
import { get, post, patch, del, upload, download, downloadPost } from '../api.js';
import { h, replace, table, badge, when, day, words, field, select, onSubmit, message, pathId, setTitle, errorBox, saveBlob } from '../ui.js';
import { entityForm, SCHEMA_COLOURS } from '../entity-form.js';
import { xrefPanel } from '../xref.js';

const STATUSES = ['open', 'active', 'referred_for_prosecution', 'closed'];
const LINK_TYPES = ['associate', 'family', 'employment', 'ownership', 'membership', 'payment', 'uses', 'located_at', 'advertised_with', 'participant', 'unknown'];

export function schemaDot(schema) {
  return h('span', { class: 'swatch', dataset: { schema }, 'aria-hidden': 'true' });
}

function section(id, title, ...body) {
  return h('section', { class: 'panel', id, 'aria-labelledby': `${id}-h` }, h('h2', { id: `${id}-h` }, title), ...body);
}

start(async (m, me) => {
  const id = pathId('cases');
  let detail;
  try {
    detail = await get(`/cases/${id}`);
  } catch (err) {
    replace(m, h('h1', {}, 'Case'), errorBox(err), h('p', {}, h('a', { href: '/cases' }, 'Back to cases')));
    return;
  }
  const c = detail.case;
  setTitle(`${c.number} ${c.title}`);
  let users = new Map(detail.team.map((t) => [t.user_id, t.display_name]));
  try {
    for (const u of (await get('/users')).items) users.set(u.id, u.display_name);
  } catch (_) {
    // The directory is optional here: team names are enough.
  }
  const name = (uid) => (uid ? users.get(uid) || 'someone' : '—');

  const boxes = {
    team: h('div'), entities: h('div'), links: h('div'), notes: h('div'), tasks: h('div'), timeline: h('div'),
    protocols: h('div'), evidence: h('div', { id: 'evidence-list' }), charges: h('div'),
  };
  let entities = [];

  // Header: facts and status.
  const statusSel = select('status', STATUSES.map((s) => [s, words(s)]), c.status);
  const statusForm = h('form', { class: 'inline-form', id: 'status-form' }, field('Status', statusSel), h('button', { type: 'submit', class: 'secondary' }, 'Change'));
  onSubmit(statusForm, async (d, _f, box) => {
    const updated = await post(`/cases/${id}/status`, { status: d.get('status') });
    replace(statusBadge, badge(updated.status));
    replace(box, message('success', `Status is now ${words(updated.status)}.`));
    await loadTimeline();
  });
  const statusBadge = h('span', {}, badge(c.status));
  const editForm = h('form', { class: 'stack', id: 'case-edit' },
    field('Title', h('input', { name: 'title', required: true, maxlength: '200', value: c.title })),
    field('Trafficking type', select('trafficking_type', ['sex', 'labour', 'both', 'unknown'].map((t) => [t, words(t)]), c.trafficking_type)),
    field('Sensitivity', select('sensitivity', [['normal', 'normal — team and agency supervisors'], ['restricted', 'restricted — team only']], c.sensitivity)),
    h('button', { type: 'submit', class: 'secondary' }, 'Save'));
  onSubmit(editForm, async (d) => {
    await patch(`/cases/${id}`, { title: String(d.get('title')).trim(), trafficking_type: d.get('trafficking_type'), sensitivity: d.get('sensitivity') });
    location.reload();
  });
  const head = h('div', { class: 'panel' },
    h('div', { class: 'spread' },
      h('h1', {}, h('span', { class: 'mono', id: 'case-number' }, c.number), ' ', h('span', { id: 'case-title' }, c.title)),
      h('div', { class: 'row' }, h('a', { class: 'button', href: `/cases/${id}/chart`, id: 'open-chart' }, 'Link chart'))),
    h('p', { class: 'row' }, statusBadge, badge(c.trafficking_type, `${words(c.trafficking_type)} trafficking`),
      c.sensitivity === 'restricted' ? badge('restricted', 'restricted: team only') : null,
      h('span', { class: 'muted small' }, `Opened ${day(c.created_at)} · updated ${when(c.updated_at)}`)),
    h('div', { class: 'row' }, statusForm, h('details', {}, h('summary', {}, 'Edit case details'), editForm)));

  const nav = h('nav', { class: 'tabs', 'aria-label': 'Case sections' },
    [['team', 'Team'], ['entities', 'People and things'], ['links', 'Links'], ['matches', 'Matches'], ['notes', 'Notes'], ['tasks', 'Tasks'], ['protocols', 'Protocols'], ['evidence', 'Evidence'], ['charges', 'Charges'], ['timeline', 'Timeline']]
      .map(([k, label]) => h('a', { href: `#${k}` }, label)));

  // Team.
  async function loadTeam() {
    const team = (await get(`/cases/${id}/team`)).items || [];
    replace(boxes.team, table([
      { label: 'Member', cell: (t) => t.display_name },
      { label: 'Role', cell: (t) => words(t.role) },
      { label: '', cell: (t) => (t.lead ? badge('active', 'lead') : '') },
      { label: '', cell: (t) => h('button', { type: 'button', class: 'small secondary', onclick: async () => {
        try { await del(`/cases/${id}/team/${t.user_id}`); await loadTeam(); } catch (err) { boxes.team.prepend(errorBox(err)); }
      } }, 'Remove') },
    ], team));
  }
  const addMember = h('form', { class: 'inline-form', id: 'add-member' });
  const memberSel = select('user_id', [...users.entries()].filter(([uid]) => !detail.team.some((t) => t.user_id === uid)).map(([uid, n]) => [uid, n]), '');
  addMember.append(field('Add a member', memberSel), h('label', { class: 'inline' }, h('input', { type: 'checkbox', name: 'lead', value: 'yes' }), 'as a lead'), h('button', { type: 'submit', class: 'secondary' }, 'Add'));
  onSubmit(addMember, async (d) => {
    await post(`/cases/${id}/team`, { user_id: d.get('user_id'), lead: d.get('lead') === 'yes' });
    await loadTeam();
  });

  // Entities.
  async function loadEntities() {
    entities = (await get(`/cases/${id}/entities`)).items;
    replace(boxes.entities, table([
      { label: 'Kind', cell: (e) => [h('span', { class: 'swatch', 'aria-hidden': 'true', dataset: { colour: SCHEMA_COLOURS[e.schema] || '#555' } }), e.schema] },
      { label: 'Name', cell: (e) => h('a', { href: `/entities/${e.id}` }, e.caption || '(unnamed)') },
      { label: 'Details', cell: (e) => Object.entries(e.properties).filter(([k]) => k !== 'name' && k !== 'notes').map(([k, v]) => `${k}: ${v.join(', ')}`).join(' · ') },
    ], entities, { empty: 'No people or things recorded yet.' }));
    paintSwatches(boxes.entities);
    drawLinkForm();
    drawChargeForm();
  }

  // Links.
  const linkFormBox = h('div');
  function drawLinkForm() {
    const opts = entities.map((e) => [e.id, `${e.caption} (${e.schema})`]);
    const form = h('form', { class: 'inline-form', id: 'link-form' },
      field('From', select('source_id', opts, opts[0]?.[0])),
      field('Link', select('link_type', LINK_TYPES.map((t) => [t, words(t)]), 'associate')),
      field('To', select('target_id', opts, opts[1]?.[0])),
      field('Description', h('input', { name: 'description', autocomplete: 'off' })),
      h('button', { type: 'submit', class: 'secondary' }, 'Link'));
    onSubmit(form, async (d) => {
      const description = String(d.get('description') || '').trim();
      await post(`/cases/${id}/links`, { source_id: d.get('source_id'), target_id: d.get('target_id'), link_type: d.get('link_type'), description: description || null });
      await loadLinks();
    });
    replace(linkFormBox, entities.length >= 2 ? form : h('p', { class: 'muted small' }, 'Add two people or things to link them.'));
  }
  async function loadLinks() {
    const links = (await get(`/cases/${id}/links`)).items;
    const cap = new Map(entities.map((e) => [e.id, e]));
    const ent = (eid) => (cap.has(eid) ? h('a', { href: `/entities/${eid}` }, cap.get(eid).caption) : '?');
    replace(boxes.links, table([
      { label: 'From', cell: (l) => ent(l.source_id) },
      { label: 'Link', cell: (l) => words(l.link_type) },
      { label: 'To', cell: (l) => ent(l.target_id) },
      { label: 'Description', cell: (l) => l.description || '' },
    ], links, { empty: 'No links yet.' }));
  }

  // Notes.
  const noteForm = h('form', { class: 'stack', id: 'note-form' }, field('New note', h('textarea', { name: 'body', required: true })), h('button', { type: 'submit', class: 'secondary' }, 'Add note'));
  onSubmit(noteForm, async (d, f) => {
    await post(`/cases/${id}/notes`, { body: String(d.get('body')) });
    f.reset();
    await loadNotes();
  });
  async function loadNotes() {
    const notes = (await get(`/cases/${id}/notes`)).items;
    replace(boxes.notes, notes.length
      ? notes.slice().reverse().map((n) => h('div', { class: 'note' }, h('div', { class: 'meta' }, `${name(n.author_id)} · ${when(n.created_at)}`), n.body))
      : h('p', { class: 'empty' }, 'No notes yet.'));
  }

  // Tasks.
  const teamOpts = () => [['', 'unassigned'], ...[...users.entries()]];
  const taskForm = h('form', { class: 'inline-form', id: 'task-form' },
    field('New task', h('input', { name: 'title', required: true, autocomplete: 'off' })),
    field('Assignee', select('assignee_id', teamOpts(), me.user.id)),
    field('Due', h('input', { name: 'due_at', type: 'date' })),
    h('button', { type: 'submit', class: 'secondary' }, 'Add task'));
  onSubmit(taskForm, async (d, f) => {
    await post(`/cases/${id}/tasks`, { title: String(d.get('title')).trim(), assignee_id: d.get('assignee_id') || null, due_at: d.get('due_at') || null });
    f.reset();
    await loadTasks();
  });
  async function loadTasks() {
    const tasks = (await get(`/cases/${id}/tasks`)).items;
    replace(boxes.tasks, table([
      { label: 'Task', cell: (t) => t.title },
      { label: 'Assignee', cell: (t) => name(t.assignee_id) },
      { label: 'Due', cell: (t) => [day(t.due_at), t.overdue ? [' ', badge('overdue')] : null] },
      { label: 'Status', cell: (t) => badge(t.status) },
      { label: '', cell: (t) => (t.status === 'open' ? h('button', { type: 'button', class: 'small secondary', onclick: async () => {
        try { await patch(`/cases/${id}/tasks/${t.id}`, { status: 'done' }); await loadTasks(); } catch (err) { boxes.tasks.prepend(errorBox(err)); }
      } }, 'Mark done') : '') },
    ], tasks, { empty: 'No tasks yet.' }));
  }

  // Protocol checklists: items with due times, overdue flags, and done / not applicable.
  async function loadProtocols() {
    const items = (await get(`/cases/${id}/protocols`)).items;
    replace(boxes.protocols, items.length ? items.map((p) => h('div', { class: 'checklist', dataset: { template: p.template } },
      h('h3', {}, `${p.title} `, h('span', { class: 'muted small' }, `v${p.version} · started ${when(p.started_at)}`), ' ',
        p.overdue_items ? badge('overdue', `${p.overdue_items} overdue`) : p.open_items ? badge('open', `${p.open_items} open`) : badge('done', 'complete')),
      table([
        { label: 'Step', cell: (it) => it.text },
        { label: 'Due', cell: (it) => [when(it.due_at), it.overdue ? [' ', badge('overdue')] : null], class: 'nowrap' },
        { label: 'Status', cell: (it) => [badge(it.status === 'open' ? 'open' : 'done', words(it.status)), it.closed_late ? h('span', { class: 'muted small' }, ' (late)') : null, it.note ? h('div', { class: 'muted small' }, it.note) : null] },
        { label: '', cell: (it) => (it.status === 'open' ? itemActions(it) : h('button', { type: 'button', class: 'small secondary', onclick: () => setItem(it, 'open') }, 'Re-open')) },
      ], p.items))) : h('p', { class: 'empty' }, 'No protocol checklist has been started.'));
  }
  async function setItem(it, status, note) {
    try {
      await patch(`/cases/${id}/protocol-items/${it.id}`, { status, note: note || null });
      await loadProtocols();
    } catch (err) {
      boxes.protocols.prepend(errorBox(err));
    }
  }
  function itemActions(it) {
    const cell = h('span', { class: 'row' });
    const done = h('button', { type: 'button', class: 'small secondary', dataset: { itemDone: it.key }, onclick: () => setItem(it, 'done') }, 'Done');
    const na = h('button', { type: 'button', class: 'small secondary', onclick: () => {
      const why = h('input', { name: 'note', 'aria-label': 'Why it does not apply', placeholder: 'why it does not apply', autocomplete: 'off' });
      const ok = h('button', { type: 'button', class: 'small', onclick: () => (why.value.trim() ? setItem(it, 'not_applicable', why.value.trim()) : why.focus()) }, 'Save');
      replace(cell, why, ok);
      why.focus();
    } }, 'Not applicable');
    return replace(cell, done, na);
  }
  let templates = [];
  try { templates = (await get('/protocols')).items; } catch (_) { templates = []; }
  const newest = new Map();
  for (const t of templates) if (!newest.has(t.key) || newest.get(t.key).version < t.version) newest.set(t.key, t);
  const protocolForm = h('form', { class: 'inline-form', id: 'protocol-form' },
    field('Start a checklist', select('template', [...newest.values()].map((t) => [t.key, `${t.title} (v${t.version})`]), templates[0]?.key)),
    h('button', { type: 'submit', class: 'secondary' }, 'Start'));
  onSubmit(protocolForm, async (d) => {
    await post(`/cases/${id}/protocols`, { template: d.get('template') });
    await loadProtocols();
    await loadTimeline();
  });

  // Evidence: the file is sent as the raw body with a progress bar; the server hashes it while it
  // streams and answers with the SHA-256, shown in full.
  const progress = h('progress', { id: 'evidence-progress', max: '100', value: '0', hidden: true });
  const progressText = h('span', { class: 'muted small', id: 'evidence-progress-text', 'aria-live': 'polite' });
  const evidenceForm = h('form', { class: 'stack', id: 'evidence-form' },
    field('File', h('input', { type: 'file', name: 'file', required: true })),
    field('Description', h('input', { name: 'description', autocomplete: 'off' })),
    field('Where it was collected', h('input', { name: 'collected_where', autocomplete: 'off' })),
    h('div', { class: 'row' }, h('button', { type: 'submit' }, 'Upload'), progress, progressText));
  onSubmit(evidenceForm, async (d, f, box) => {
    const file = d.get('file');
    if (!file || !file.name) throw new Error('Choose a file to upload.');
    const params = new URLSearchParams({ name: file.name });
    for (const k of ['description', 'collected_where']) {
      const v = String(d.get(k) || '').trim();
      if (v) params.set(k, v);
    }
    progress.hidden = false;
    progress.value = 0;
    const e = await upload(`/cases/${id}/evidence?${params}`, file, {
      onProgress: (sent, total) => {
        progress.value = Math.round((sent / total) * 100);
        replace(progressText, `${Math.round((sent / total) * 100)}% of ${bytes(total)}`);
      },
    });
    progress.value = 100;
    replace(progressText, 'Stored.');
    f.reset();
    replace(box, message('success', `Stored ${e.name}. SHA-256 ${e.sha256}`));
    await loadEvidence();
    await loadTimeline();
  });
  async function loadEvidence() {
    const items = (await get(`/cases/${id}/evidence`)).items;
    evidenceItems = items;
    replace(transferForm.elements.evidence_id, items.map((e) => h('option', { value: e.id }, e.name)));
    evidenceTools.hidden = !items.length;
    replace(boxes.evidence, table([
      { label: 'File', cell: (e) => [h('strong', {}, e.name), e.description ? h('div', { class: 'muted small' }, e.description) : null] },
      { label: 'Size', cell: (e) => bytes(e.size_bytes), class: 'num' },
      { label: 'SHA-256', cell: (e) => h('span', { class: 'mono small hash', dataset: { sha256: e.sha256 } }, e.sha256) },
      { label: 'Collected', cell: (e) => [when(e.collected_at), e.collected_where ? h('div', { class: 'muted small' }, e.collected_where) : null] },
      { label: 'Held by', cell: (e) => name(e.custodian_id) },
      { label: '', cell: (e) => h('span', { class: 'row' },
        h('button', { type: 'button', class: 'small secondary', dataset: { custody: e.id }, onclick: () => showCustody(e) }, 'Custody log'),
        h('button', { type: 'button', class: 'small secondary', dataset: { download: e.id }, onclick: async () => {
          try { saveBlob(await download(`/evidence/${e.id}/content`), e.name); await showCustody(e); } catch (err) { boxes.evidence.prepend(errorBox(err)); }
        } }, 'Download')) },
    ], items, { empty: 'No evidence yet.' }), custodyBox);
  }
  const custodyBox = h('div', { id: 'custody-log' });
  // Hand an item to another member who can see the case, and export the court package.
  const transferForm = h('form', { class: 'inline-form', id: 'transfer-form' },
    field('Item', h('select', { name: 'evidence_id' })),
    field('Hand to', select('to_user_id', [...users.entries()].filter(([uid]) => uid !== me.user.id), '')),
    field('Purpose', h('input', { name: 'purpose', required: true, autocomplete: 'off', placeholder: 'laboratory analysis' })),
    h('button', { type: 'submit', class: 'secondary' }, 'Record hand-over'));
  onSubmit(transferForm, async (d) => {
    const eid = d.get('evidence_id');
    await post(`/evidence/${eid}/transfers`, { to_user_id: d.get('to_user_id'), purpose: String(d.get('purpose')).trim() });
    await loadEvidence();
    await showCustody({ id: eid, name: evidenceItems.find((x) => x.id === eid)?.name || '' });
  });
  const exportForm = h('form', { class: 'inline-form', id: 'export-form' },
    field('Recipient', h('input', { name: 'recipient', required: true, autocomplete: 'off', placeholder: 'a court or prosecutor’s office' })),
    field('Purpose', h('input', { name: 'purpose', required: true, autocomplete: 'off', placeholder: 'discovery' })),
    h('button', { type: 'submit', class: 'secondary' }, 'Export court package'));
  onSubmit(exportForm, async (d, _f, box) => {
    const tar = await downloadPost(`/cases/${id}/evidence/export`, { recipient: String(d.get('recipient')).trim(), purpose: String(d.get('purpose')).trim() });
    saveBlob(tar, `${c.number}-evidence.tar`);
    replace(box, message('success', `Court package exported (${bytes(tar.size)}): files, SHA256SUMS and the custody report.`));
    if (evidenceItems[0]) await showCustody(evidenceItems[0]);
  });
  const evidenceTools = h('details', { id: 'evidence-tools' }, h('summary', {}, 'Hand over or export'), transferForm, exportForm);
  let evidenceItems = [];
  async function showCustody(e) {
    try {
      const log = (await get(`/evidence/${e.id}/custody`)).items;
      replace(custodyBox, h('h3', {}, `Chain of custody: ${e.name}`), h('ol', { class: 'timeline' }, log.map((c) => h('li', {},
        h('time', { datetime: c.at }, when(c.at)),
        h('span', {}, h('strong', {}, words(c.kind)), ` by ${c.actor_name}`,
          c.to_user_id ? ` to ${name(c.to_user_id)}` : '', c.recipient ? ` to ${c.recipient}` : '', c.purpose ? ` — ${c.purpose}` : '',
          h('div', { class: 'mono small muted' }, `SHA-256 ${c.sha256}`))))));
    } catch (err) {
      replace(custodyBox, errorBox(err));
    }
  }

  // Charges and court events.
  async function loadCharges() {
    const p = await get(`/cases/${id}/prosecution`);
    const who = (eid) => entities.find((x) => x.id === eid)?.caption || 'defendant';
    replace(boxes.charges,
      p.charges.length ? h('p', { class: 'muted small' }, `${p.trafficking_counts} trafficking count${p.trafficking_counts === 1 ? '' : 's'}, ${p.other_counts} other`) : null,
      table([
        { label: 'Defendant', cell: (c) => who(c.defendant_id) },
        { label: 'Statute', cell: (c) => [h('span', { class: 'mono' }, c.statute), c.trafficking ? [' ', badge('referred_for_prosecution', 'trafficking')] : null] },
        { label: 'Charge', cell: (c) => c.description },
        { label: 'Counts', cell: (c) => String(c.counts), class: 'num' },
        { label: 'Disposition', cell: (c) => [badge(c.disposition === 'pending' ? 'open' : 'done', words(c.disposition)), c.disposed_on ? ` ${day(c.disposed_on)}` : '', c.sentence ? ` · ${c.sentence}` : ''] },
      ], p.charges, { empty: 'No charges filed.' }),
      p.court_events.length ? [h('h3', {}, 'Court dates'), table([
        { label: 'Date', cell: (e) => day(e.date), class: 'nowrap' },
        { label: 'Event', cell: (e) => words(e.kind) },
        { label: 'Court', cell: (e) => e.court },
        { label: 'Note', cell: (e) => e.note || '' },
      ], p.court_events)] : null);
    drawChargeForm();
  }
  const chargeFormBox = h('div');
  function drawChargeForm() {
    const people = entities.filter((e) => e.schema === 'Person');
    if (!people.length) {
      replace(chargeFormBox, h('p', { class: 'muted small' }, 'Add the defendant as a person of the case to charge them.'));
      return;
    }
    const form = h('form', { class: 'stack', id: 'charge-form' },
      field('Defendant', select('defendant_id', people.map((e) => [e.id, e.caption]), people[0].id)),
      field('Statute', h('input', { name: 'statute', required: true, autocomplete: 'off', placeholder: '18 U.S.C. § 1591' })),
      field('Charge', h('input', { name: 'description', required: true, autocomplete: 'off' })),
      field('Counts', h('input', { name: 'counts', type: 'number', min: '1', max: '999', value: '1' })),
      h('label', { class: 'inline' }, h('input', { type: 'checkbox', name: 'trafficking', value: 'yes', checked: true }), 'a trafficking charge'),
      h('button', { type: 'submit', class: 'secondary' }, 'Add charge'));
    onSubmit(form, async (d) => {
      await post(`/cases/${id}/charges`, { defendant_id: d.get('defendant_id'), statute: String(d.get('statute')).trim(), description: String(d.get('description')).trim(), trafficking: d.get('trafficking') === 'yes', counts: Number(d.get('counts') || 1) });
      await loadCharges();
    });
    replace(chargeFormBox, h('details', {}, h('summary', {}, 'File a charge'), form));
  }

  async function loadTimeline() {
    const items = (await get(`/cases/${id}/timeline`)).items;
    replace(boxes.timeline, items.length
      ? h('ol', { class: 'timeline' }, items.slice().reverse().map((t) => h('li', {}, h('time', { datetime: t.at }, when(t.at)), h('span', {}, h('strong', {}, words(t.kind)), ' ', t.summary, t.actor_id ? h('span', { class: 'muted' }, ` — ${name(t.actor_id)}`) : ''))))
      : h('p', { class: 'empty' }, 'Nothing yet.'));
  }

  const xref = xrefPanel(id);
  const addEntity = h('details', { id: 'add-entity' }, h('summary', {}, 'Add a person, phone or other thing'), entityForm(id, async () => { await loadEntities(); await loadLinks(); await loadTimeline(); }));
  replace(m, head, nav,
    section('team', 'Team', boxes.team, addMember),
    section('entities', 'People and things', boxes.entities, addEntity),
    section('links', 'Links', boxes.links, linkFormBox),
    section('matches', 'Possible matches in other records', h('p', { class: 'muted small' }, 'People in this case who may be the same as people in other records, with the evidence. Leads, not proof: judge each one.'), xref.root),
    h('div', { class: 'grid2' }, section('notes', 'Notes', noteForm, boxes.notes), section('tasks', 'Tasks', boxes.tasks, taskForm)),
    section('protocols', 'Protocols', boxes.protocols, newest.size ? protocolForm : null),
    section('evidence', 'Evidence', h('p', { class: 'muted small' }, 'Originals are stored once, read-only, under their SHA-256; every download is recorded in the chain of custody.'), boxes.evidence, h('details', { id: 'add-evidence' }, h('summary', {}, 'Upload evidence'), evidenceForm), evidenceTools),
    section('charges', 'Charges', boxes.charges, chargeFormBox),
    section('timeline', 'Timeline', boxes.timeline));

  const load = async (fn, box) => {
    try { await fn(); } catch (err) { replace(box, errorBox(err)); }
  };
  await load(loadTeam, boxes.team);
  await load(loadEntities, boxes.entities);
  await load(loadLinks, boxes.links);
  await load(loadNotes, boxes.notes);
  await load(loadTasks, boxes.tasks);
  await load(loadProtocols, boxes.protocols);
  await load(loadEvidence, boxes.evidence);
  await load(loadCharges, boxes.charges);
  await load(loadTimeline, boxes.timeline);
  await xref.load();
  if (location.hash) document.getElementById(location.hash.slice(1))?.scrollIntoView();
});

// Swatch colours are set through the CSSOM (allowed by the CSP), never through style attributes.
export function paintSwatches(root) {
  root.querySelectorAll('.swatch[data-colour]').forEach((el) => {
    el.style.background = el.dataset.colour;
  });
}

// 1234567 → "1.2 MB"
export function bytes(n) {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}
