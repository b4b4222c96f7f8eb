// Home: the cases shared with me and the open tasks assigned to me, newest first. More panels
// (triage queue, referrals awaiting action) appear as their APIs exist.

import { start } from '../shell.js';
import { get } from '../api.js';
import { h, replace, table, badge, day, setTitle, errorBox } from '../ui.js';

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
  if (me.user.role === 'administrator') {
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
