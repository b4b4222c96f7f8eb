// Triage: the queue of incoming tips and referrals (most urgent first, with the rules that set
// each priority) and one item's page — its text, extracted selectors, conversation with the
// tipster — with assign, route, reply, merge into a case, or close with a reason.

import { start } from '../shell.js';
import { get, post, query, download } from '../api.js';
import { h, replace, table, badge, when, words, field, select, onSubmit, message, pathId, setTitle, errorBox, saveBlob } from '../ui.js';

const CLOSE_REASONS = ['duplicate', 'no_trafficking_indicators', 'insufficient_information', 'referred_outside_task_force', 'other'];
const TYPES = ['sex', 'labour', 'both', 'unknown'];
// File name extensions for the attachment types a tip may carry (metadata already stripped).
const EXT = { 'image/jpeg': 'jpg', 'image/png': 'png', 'application/pdf': 'pdf', 'text/plain': 'txt' };

function priorityBadge(p) {
  const cls = p === 'urgent' ? 'restricted' : p === 'high' ? 'referred_for_prosecution' : 'open';
  return badge(cls, p);
}

async function queue(m) {
  setTitle('Triage');
  const results = h('div', { id: 'intake-results' });
  const state = select('state', [['open', 'open'], ['merged', 'merged into a case'], ['closed', 'closed']], new URLSearchParams(location.search).get('state') || 'open');
  const order = select('order', [['priority', 'most urgent first'], ['newest', 'newest first']], new URLSearchParams(location.search).get('order') || 'priority');
  const form = h('form', { class: 'inline-form', id: 'intake-filter' }, field('Show', state), field('Order', order), h('button', { type: 'submit' }, 'Show'));
  async function load() {
    const items = (await get(`/intake${query({ state: state.value })}`)).items;
    if (order.value === 'newest') items.sort((a, b) => b.received_at.localeCompare(a.received_at));
    replace(results, table([
      { label: 'Priority', cell: (i) => priorityBadge(i.priority) },
      { label: 'Received', cell: (i) => h('a', { href: `/triage/${i.id}` }, when(i.received_at)), class: 'nowrap' },
      { label: 'Kind', cell: (i) => i.kind },
      { label: 'Indicates', cell: (i) => words(i.indicates) },
      { label: 'Why', cell: (i) => i.rules.map((r) => r.because).join('; ') },
      { label: 'Assigned', cell: (i) => (i.assignee_id ? 'yes' : '—') },
    ], items, { empty: 'Nothing waiting.', caption: `${items.length} item${items.length === 1 ? '' : 's'}` }));
  }
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    history.replaceState(null, '', `/triage${query({ state: state.value, order: order.value === 'newest' ? 'newest' : '' })}`);
    load().catch((err) => replace(results, errorBox(err)));
  });
  const referral = h('form', { class: 'stack', id: 'referral-form' },
    field('What was reported', h('textarea', { name: 'what', required: true })),
    field('Where', h('input', { name: 'where', autocomplete: 'off' })),
    field('When', h('input', { name: 'when', autocomplete: 'off' })),
    field('Contact (if the referrer gave one)', h('input', { name: 'contact', autocomplete: 'off' })),
    h('button', { type: 'submit' }, 'Add referral'));
  onSubmit(referral, async (d, f, box) => {
    const opt = (k) => String(d.get(k) || '').trim() || null;
    const made = await post('/intake', { what: String(d.get('what')), where: opt('where'), when: opt('when'), contact: opt('contact') });
    f.reset();
    // A new referral is unrouted: a supervisor sees it first and routes it.
    replace(box, message('success', `Referral entered with ${made.priority} priority. A supervisor will route it.`));
    await load().catch((err) => replace(results, errorBox(err)));
  });
  replace(m, h('h1', {}, 'Triage'),
    h('p', { class: 'muted' }, 'Tips and referrals waiting for a decision, most urgent first. Priorities are set by rules, shown with each item.'),
    h('section', { class: 'panel' }, form, results),
    h('details', { class: 'panel' }, h('summary', {}, 'Enter a referral (hotline, NGO, another agency)'), referral));
  await load();
}

async function item(m, me, id) {
  let d;
  try {
    d = await get(`/intake/${id}`);
  } catch (err) {
    replace(m, h('h1', {}, 'Triage item'), errorBox(err), h('p', {}, h('a', { href: '/triage' }, 'Back to the queue')));
    return;
  }
  const i = d.item;
  setTitle(`Triage · ${i.kind}`);
  const out = h('div', { 'aria-live': 'polite', id: 'triage-messages' });
  const act = async (path, body, done) => {
    replace(out);
    try {
      const r = await post(path, body);
      replace(out, message('success', done(r)));
      setTimeout(() => location.reload(), 600);
    } catch (err) {
      replace(out, errorBox(err));
    }
  };
  let agencies = [];
  let cases = [];
  let people = [];
  try {
    people = (await get('/users')).items;
  } catch (_) {
    people = [];
  }
  try {
    agencies = (await get('/agencies')).items;
  } catch (_) {
    agencies = [];
  }
  try {
    cases = (await get('/cases')).items.filter((c) => c.status !== 'closed');
  } catch (_) {
    cases = [];
  }

  const routedTo = i.routed_agency_id || me.agency.id;
  const workers = people.filter((u) => u.agency_id === routedTo && ['supervisor', 'investigator', 'analyst'].includes(u.role) && !u.disabled);
  const assign = h('form', { class: 'inline-form', id: 'assign-form' }, field('Assign to', select('assignee_id', workers.map((u) => [u.id, `${u.display_name} (${words(u.role)})`]), i.assignee_id || me.user.id)), h('button', { type: 'submit', class: 'secondary' }, 'Assign'));
  onSubmit(assign, async (f) => act(`/intake/${id}/assign`, { assignee_id: f.get('assignee_id') }, () => 'Assigned.'));
  const assignee = i.assignee_id ? (people.find((u) => u.id === i.assignee_id)?.display_name || 'someone') : null;
  const route = h('form', { class: 'inline-form', id: 'route-form' }, field('Route to', select('agency_id', agencies.map((a) => [a.id, `${a.short_code} — ${a.name}`]), i.routed_agency_id || me.agency.id)), h('button', { type: 'submit', class: 'secondary' }, 'Route'));
  onSubmit(route, async (f) => act(`/intake/${id}/route`, { agency_id: f.get('agency_id') }, () => 'Routed.'));
  const close = h('form', { class: 'inline-form', id: 'close-form' }, field('Close because', select('reason', CLOSE_REASONS.map((r) => [r, words(r)]), 'insufficient_information')), h('button', { type: 'submit', class: 'secondary' }, 'Close'));
  onSubmit(close, async (f) => act(`/intake/${id}/close`, { reason: f.get('reason') }, () => 'Closed.'));
  const mergeNew = h('form', { class: 'stack', id: 'merge-new-form' },
    field('Case number', h('input', { name: 'number', required: true, autocomplete: 'off' })),
    field('Title', h('input', { name: 'title', required: true, autocomplete: 'off' })),
    field('Trafficking type', select('trafficking_type', TYPES.map((t) => [t, words(t)]), i.indicates && TYPES.includes(i.indicates) ? i.indicates : 'unknown')),
    h('button', { type: 'submit' }, 'Open a case from this item'));
  onSubmit(mergeNew, async (f) => {
    const r = await post(`/intake/${id}/merge`, { new_case: { number: String(f.get('number')).trim(), title: String(f.get('title')).trim(), trafficking_type: f.get('trafficking_type') } });
    location.assign(`/cases/${r.case_id}`);
  });
  const mergeOld = h('form', { class: 'inline-form', id: 'merge-existing-form' }, field('Add to case', select('case_id', cases.map((c) => [c.id, `${c.number} ${c.title}`]), '')), h('button', { type: 'submit', class: 'secondary' }, 'Merge'));
  onSubmit(mergeOld, async (f) => {
    const r = await post(`/intake/${id}/merge`, { case_id: f.get('case_id') });
    location.assign(`/cases/${r.case_id}`);
  });
  const reply = h('form', { class: 'stack', id: 'reply-form' }, field('Reply to the tipster', h('textarea', { name: 'body', required: true }), 'They read it with their receipt code. Do not include names or case details.'), h('button', { type: 'submit', class: 'secondary' }, 'Send reply'));
  onSubmit(reply, async (f) => act(`/intake/${id}/replies`, { body: String(f.get('body')) }, () => 'Reply sent.'));

  const open = i.state === 'open';
  replace(m,
    h('p', { class: 'muted' }, h('a', { href: '/triage' }, 'Triage'), ` › ${i.kind}`),
    h('div', { class: 'spread' }, h('h1', {}, `${i.kind === 'tip' ? 'Anonymous tip' : 'Referral'} received ${when(i.received_at)}`), h('span', { class: 'row' }, priorityBadge(i.priority), badge(i.state))),
    out,
    h('div', { class: 'grid2' },
      h('section', { class: 'panel', id: 'intake-text' }, h('h2', {}, 'What was reported'),
        h('p', { class: 'note' }, d.what),
        h('dl', { class: 'props' },
          h('dt', {}, 'Where'), h('dd', {}, d.where_text || d.where || '—'),
          h('dt', {}, 'When'), h('dd', {}, d.when_text || d.when || '—'),
          h('dt', {}, 'Contact'), h('dd', {}, d.contact || '—'),
          h('dt', {}, 'Indicates'), h('dd', {}, words(i.indicates)),
          h('dt', {}, 'Routed to'), h('dd', { id: 'intake-routed' }, i.routed_agency_id ? (agencies.find((a) => a.id === i.routed_agency_id)?.short_code || 'an agency') : 'not routed yet'),
          h('dt', {}, 'Assigned to'), h('dd', { id: 'intake-assignee' }, assignee || 'nobody yet'),
          i.close_reason ? [h('dt', {}, 'Closed because'), h('dd', {}, words(i.close_reason))] : null,
          h('dt', {}, 'Case'), h('dd', {}, i.case_id ? h('a', { href: `/cases/${i.case_id}` }, 'open the case') : '—'))),
      h('section', { class: 'panel', id: 'intake-why' }, h('h2', {}, 'Why this priority'),
        table([{ label: 'Rule', cell: (r) => words(r.rule) }, { label: 'Sets', cell: (r) => r.priority }, { label: 'Because', cell: (r) => r.because }], i.rules, { empty: 'No rule fired: routine.' }),
        h('h3', {}, 'Selectors found in the text'),
        table([{ label: 'Kind', cell: (s) => s.kind }, { label: 'Value', cell: (s) => h('span', { class: 'mono' }, s.value) }, { label: 'As written', cell: (s) => s.raw }], d.selectors, { empty: 'None found.' }),
        d.attachments.length ? [h('h3', {}, 'Attachments'), table([{ label: 'Type', cell: (a) => a.media_type }, { label: 'Bytes', cell: (a) => String(a.size), class: 'num' }, { label: 'SHA-256', cell: (a) => h('span', { class: 'mono small hash' }, a.sha256) }, { label: '', cell: (a) => h('button', { type: 'button', class: 'small secondary', onclick: async () => {
          try { saveBlob(await download(`/intake/${id}/attachments/${a.id}`), `tip-attachment-${a.id}.${EXT[a.media_type] || 'bin'}`); } catch (err) { replace(out, errorBox(err)); }
        } }, 'Download') }], d.attachments)] : null)),
    h('section', { class: 'panel', id: 'intake-thread' }, h('h2', {}, 'Conversation with the tipster'),
      d.messages.length ? h('ol', { class: 'timeline' }, d.messages.map((x) => h('li', {}, h('time', { datetime: x.created_at }, when(x.created_at)), h('span', {}, h('strong', {}, x.author === 'tipster' ? 'Tipster: ' : 'Task force: '), x.body)))) : h('p', { class: 'empty' }, 'No messages yet.'),
      i.kind === 'tip' ? reply : null),
    open ? h('section', { class: 'panel', id: 'intake-actions' }, h('h2', {}, 'Decide'),
      h('div', { class: 'row' }, h('button', { type: 'button', id: 'assign-me', onclick: () => act(`/intake/${id}/assign`, { assignee_id: me.user.id }, () => 'Assigned to you.') }, 'Assign to me'), workers.length ? assign : null),
      route, close,
      h('div', { class: 'grid2' }, h('div', {}, h('h3', {}, 'Into a new case'), mergeNew), h('div', {}, h('h3', {}, 'Into an existing case'), cases.length ? mergeOld : h('p', { class: 'muted' }, 'No open cases shared with you.')))) : null);
}

start(async (m, me) => {
  const id = pathId('triage');
  if (id) await item(m, me, id);
  else await queue(m);
});
