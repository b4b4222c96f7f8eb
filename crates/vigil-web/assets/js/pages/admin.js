// Administration: agencies, accounts (create with a one-time password, unlock, disable, enable a
// disabled account again) and roles.
// Which buttons work is the API's decision: administrators manage accounts, supervisors unlock
// their agency's accounts; a refusal is shown where it happened.

import { start } from '../shell.js';
import { get, post } from '../api.js';
import { h, replace, table, words, field, select, onSubmit, message, badge, setTitle, errorBox } from '../ui.js';

const KINDS = ['federal_law_enforcement', 'state_law_enforcement', 'local_law_enforcement', 'prosecutor', 'victim_services_ngo', 'social_services', 'other'];
const ROLES = ['investigator', 'analyst', 'prosecutor', 'victim_advocate', 'supervisor', 'administrator'];

start(async (m, me) => {
  setTitle('Administration');
  const agenciesBox = h('div', { id: 'agencies' });
  const usersBox = h('div', { id: 'users' });
  const userMsg = h('div', { 'aria-live': 'polite' });
  let agencies = [];

  async function loadAgencies() {
    agencies = (await get('/agencies')).items;
    replace(agenciesBox, table([
      { label: 'Code', cell: (a) => h('span', { class: 'mono' }, a.short_code) },
      { label: 'Name', cell: (a) => a.name },
      { label: 'Kind', cell: (a) => words(a.kind) },
    ], agencies));
  }

  async function act(path, what) {
    replace(userMsg);
    try {
      await post(path);
      replace(userMsg, message('success', what));
      await loadUsers();
    } catch (err) {
      replace(userMsg, errorBox(err));
    }
  }

  const filter = h('input', { type: 'search', placeholder: 'filter by name, username, role or agency', 'aria-label': 'Filter accounts' });
  let users = [];
  function drawUsers() {
    const code = new Map(agencies.map((a) => [a.id, a.short_code]));
    const f = filter.value.trim().toLowerCase();
    const rows = users.filter((u) => !f || [u.display_name, u.username, u.role, code.get(u.agency_id) || ''].some((v) => v.toLowerCase().includes(f)));
    replace(usersBox, table([
      { label: 'Name', cell: (u) => u.display_name },
      { label: 'Username', cell: (u) => h('span', { class: 'mono' }, u.username) },
      { label: 'Role', cell: (u) => words(u.role) },
      { label: 'Agency', cell: (u) => code.get(u.agency_id) || '' },
      { label: 'State', cell: (u) => [u.disabled ? badge('closed', 'Disabled') : null, u.locked ? badge('locked') : null, !u.mfa_enrolled ? badge('open', 'no second factor yet') : null, !u.disabled && !u.locked ? 'active' : null] },
      { label: '', cell: (u) => h('span', { class: 'row' },
        u.locked ? h('button', { type: 'button', class: 'small', dataset: { unlock: u.username }, onclick: () => act(`/users/${u.id}/unlock`, `Unlocked ${u.username}.`) }, 'Unlock') : null,
        !u.disabled && u.id !== me.user.id ? h('button', { type: 'button', class: 'small secondary', dataset: { disable: u.username }, onclick: () => {
          if (confirm(`Disable ${u.username}? Their sessions and tokens end now.`)) act(`/users/${u.id}/disable`, `Disabled ${u.username}.`);
        } }, 'Disable') : null,
        u.disabled && me.user.role === 'administrator' ? h('button', { type: 'button', class: 'small', dataset: { enable: u.username }, onclick: () => act(`/users/${u.id}/enable`, `Enabled ${u.username}. They can sign in again with their password and second factor.`) }, 'Enable') : null) },
    ], rows, { caption: `${rows.length} of ${users.length} accounts` }));
  }
  filter.addEventListener('input', drawUsers);
  async function loadUsers() {
    users = (await get('/users')).items;
    drawUsers();
  }

  const agencyForm = h('form', { class: 'stack', id: 'agency-form' },
    field('Name', h('input', { name: 'name', required: true })),
    field('Short code', h('input', { name: 'short_code', required: true, maxlength: '12' }), '2 to 12 letters or digits'),
    field('Kind', select('kind', KINDS.map((k) => [k, words(k)]), 'local_law_enforcement')),
    h('button', { type: 'submit' }, 'Add agency'));
  onSubmit(agencyForm, async (d, f, box) => {
    const a = await post('/agencies', { name: d.get('name'), short_code: d.get('short_code'), kind: d.get('kind') });
    f.reset();
    replace(box, message('success', `Added ${a.short_code}.`));
    await loadAgencies();
    drawUserForm();
  });

  const userFormBox = h('div');
  function drawUserForm() {
    const form = h('form', { class: 'stack', id: 'user-form' },
      field('Username', h('input', { name: 'username', required: true, autocomplete: 'off' })),
      field('Display name', h('input', { name: 'display_name', required: true, autocomplete: 'off' })),
      field('Role', select('role', ROLES.map((r) => [r, words(r)]), 'investigator')),
      field('Agency', select('agency_id', agencies.map((a) => [a.id, `${a.short_code} — ${a.name}`]), me.agency.id)),
      h('button', { type: 'submit' }, 'Create account'));
    onSubmit(form, async (d, f, box) => {
      const made = await post('/users', { username: d.get('username'), display_name: d.get('display_name'), role: d.get('role'), agency_id: d.get('agency_id') });
      f.reset();
      replace(box, message('success', `Created ${made.user.username}. Give them this one-time password through a separate channel; it is not shown again. They set up their second factor at first sign-in.`),
        h('p', { class: 'secret', id: 'initial-password' }, made.initial_password));
      await loadUsers();
    });
    replace(userFormBox, form);
  }

  replace(m, h('h1', {}, 'Administration'),
    h('p', { class: 'muted' }, 'Agencies and accounts of the task force. ', me.user.role === 'supervisor' ? h('a', { href: '/admin/audit' }, 'Search the audit trail') : null),
    h('section', { class: 'panel', id: 'accounts' }, h('h2', {}, 'Accounts'), filter, userMsg, usersBox),
    h('div', { class: 'grid2' },
      h('section', { class: 'panel' }, h('h2', {}, 'New account'), userFormBox),
      h('section', { class: 'panel' }, h('h2', {}, 'Agencies'), agenciesBox, h('details', {}, h('summary', {}, 'Add an agency'), agencyForm))));
  await loadAgencies();
  drawUserForm();
  await loadUsers();
});
