// Home: the cases shared with me and the open tasks assigned to me, newest first; for supervisors
// the open triage queue, for advocates the referrals waiting for the next step.

import { start } from '../shell.js';
import { get } from '../api.js';
import { h, replace, table, badge, day, when, words, setTitle, errorBox } from '../ui.js';

// Tasks are read per case; the home page looks at this many active cases.
const TASK_CASES = 15;

function caseLink(c) {
  return h('a', { href: `/cases/${c.id}` }, c.number);
}

start(async (m, me) => {
  setTitle('Home');
  const tasksBox = h('div', { id: 'my-tasks' }, h('p', { class: 'muted' }, 'Loading tasks…'));
  const casesBox = h('div', { id: 'my-cases' });
  replace(
    m,
    h('h1', {}, `Welcome, ${me.user.display_name}`),
    h('p', { class: 'muted' }, `${me.agency.name}`),
    h('div', { class: 'grid2' },
      h('section', { class: 'panel' }, h('h2', {}, 'My open tasks'), tasksBox),
      h('section', { class: 'panel' }, h('div', { class: 'spread' }, h('h2', {}, 'My cases'), h('a', { href: '/cases' }, 'All cases')), casesBox)),
  );
  const role = me.user.role;
  if (role === 'supervisor' || role === 'investigator' || role === 'analyst') {
    const box = h('div', { id: 'triage-summary' }, h('p', { class: 'muted' }, 'Loading…'));
    m.append(h('section', { class: 'panel' }, h('div', { class: 'spread' }, h('h2', {}, role === 'supervisor' ? 'Triage queue' : 'Triage items for you'), h('a', { href: '/triage' }, 'Open the queue')), box));
    triageSummary(box, me).catch((err) => replace(box, errorBox(err)));
  }
  if (role === 'victim_advocate') {
    const box = h('div', { id: 'referrals-waiting' }, h('p', { class: 'muted' }, 'Loading…'));
    m.append(h('section', { class: 'panel' }, h('div', { class: 'spread' }, h('h2', {}, 'Referrals awaiting action'), h('a', { href: '/vault' }, 'Survivors')), box));
    referralsWaiting(box).catch((err) => replace(box, errorBox(err)));
  }
  if (role === 'administrator') {
    replace(casesBox, h('p', {}, 'Administrators manage agencies and accounts; case content is not shown to them. ', h('a', { href: '/admin' }, 'Go to administration'), '.'));
    replace(tasksBox, h('p', { class: 'muted' }, 'No case tasks for this role.'));
    return;
  }
  const cases = (await get('/cases')).items;
  const active = cases.filter((c) => c.status !== 'closed').sort((a, b) => b.updated_at.localeCompare(a.updated_at));
  replace(casesBox, table([
    { label: 'Case', cell: caseLink, class: 'nowrap' },
    { label: 'Title', cell: (c) => c.title },
    { label: 'Status', cell: (c) => badge(c.status) },
    { label: 'Updated', cell: (c) => day(c.updated_at) },
  ], active.slice(0, 12), { empty: 'No open cases are shared with you.' }));
  const rows = [];
  try {
    for (const c of active.slice(0, TASK_CASES)) {
      const tasks = (await get(`/cases/${c.id}/tasks`)).items;
      for (const t of tasks) if (t.status === 'open' && t.assignee_id === me.user.id) rows.push({ ...t, case: c });
    }
  } catch (err) {
    replace(tasksBox, errorBox(err));
    return;
  }
  rows.sort((a, b) => (a.due_at || '9').localeCompare(b.due_at || '9'));
  replace(tasksBox, table([
    { label: 'Task', cell: (t) => t.title },
    { label: 'Case', cell: (t) => caseLink(t.case), class: 'nowrap' },
    { label: 'Due', cell: (t) => [day(t.due_at), t.overdue ? [' ', badge('overdue')] : null] },
  ], rows, { empty: 'No open tasks are assigned to you.' }));
});

// Open intake items the API shows me: the count, how many are urgent, the first few.
async function triageSummary(box, me) {
  const items = (await get('/intake?state=open')).items;
  const mine = me.user.role === 'supervisor' ? items : items.filter((i) => i.assignee_id === me.user.id);
  const urgent = mine.filter((i) => i.priority === 'urgent').length;
  replace(box,
    h('p', { id: 'triage-count' }, h('strong', {}, String(mine.length)), ` open item${mine.length === 1 ? '' : 's'}`, urgent ? [', ', badge('overdue', `${urgent} urgent`)] : null),
    table([
      { label: 'Priority', cell: (i) => badge(i.priority === 'urgent' ? 'restricted' : i.priority === 'high' ? 'referred_for_prosecution' : 'open', i.priority) },
      { label: 'Received', cell: (i) => h('a', { href: `/triage/${i.id}` }, when(i.received_at)) },
      { label: 'Kind', cell: (i) => i.kind },
      { label: 'Why', cell: (i) => i.rules.map((r) => r.because).join('; ') || 'routine' },
    ], mine.slice(0, 5), { empty: 'Nothing waiting.' }));
}

// Referrals of the survivors my agency serves that wait for a provider's answer (sent) or for the
// service to be delivered (accepted).
async function referralsWaiting(box) {
  const victims = (await get('/victims')).items;
  const rows = [];
  for (const v of victims.slice(0, 40)) {
    if (!(v.access || []).includes('services')) continue;
    const r = await get(`/victims/${v.id}/referrals`);
    for (const x of r.referrals) if (x.status === 'sent' || x.status === 'accepted') rows.push({ ...x, pseudonym: v.pseudonym });
  }
  rows.sort((a, b) => a.updated_at.localeCompare(b.updated_at));
  replace(box, table([
    { label: 'Person', cell: (x) => h('a', { href: `/vault/${x.victim_id}#referrals` }, x.pseudonym) },
    { label: 'Service', cell: (x) => words(x.service_type) },
    { label: 'Waiting for', cell: (x) => (x.status === 'sent' ? 'the provider to answer' : 'the service to be delivered') },
    { label: 'Since', cell: (x) => day(x.updated_at) },
  ], rows, { empty: 'No referrals are waiting.' }));
}
