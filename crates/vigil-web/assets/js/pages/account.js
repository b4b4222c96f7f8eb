// My account: who I am, my password, my API tokens.

import { start } from '../shell.js';
import { get, post, del } from '../api.js';
import { h, replace, field, onSubmit, table, message, when, words, setTitle } from '../ui.js';

start(async (m, me) => {
  setTitle('My account');
  const tokens = h('div');
  const pw = h('form', { class: 'stack', id: 'password-form' },
    field('Current password', h('input', { name: 'current_password', type: 'password', autocomplete: 'current-password', required: true })),
    field('New password', h('input', { name: 'new_password', type: 'password', autocomplete: 'new-password', required: true, minlength: '12' }),
      'At least 12 characters. A long phrase is easier to remember than symbols.'),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Change password')));
  onSubmit(pw, async (d, form, box) => {
    await post('/auth/password', { current_password: d.get('current_password'), new_password: d.get('new_password') });
    form.reset();
    replace(box, message('success', 'Password changed.'));
  });
  const newToken = h('form', { class: 'inline-form', id: 'token-form' },
    field('Name', h('input', { name: 'name', required: true })),
    field('Scope', h('select', { name: 'scope' }, h('option', { value: 'read' }, 'read only'), h('option', { value: 'full' }, 'full'))),
    field('Days', h('input', { name: 'days', type: 'number', min: '1', max: '365', value: '30' })),
    h('button', { type: 'submit' }, 'Create token'));
  onSubmit(newToken, async (d, form, box) => {
    const t = await post('/tokens', { name: d.get('name'), scope: d.get('scope'), days: Number(d.get('days')) });
    form.reset();
    replace(box, message('success', 'Token created. Copy it now; it is not shown again:'), h('p', { class: 'secret' }, t.secret));
    await loadTokens();
  });
  async function loadTokens() {
    const list = (await get('/tokens')).items;
    replace(tokens, table([
      { label: 'Name', cell: (t) => t.name },
      { label: 'Scope', cell: (t) => t.scope },
      { label: 'Expires', cell: (t) => when(t.expires_at) },
      { label: 'State', cell: (t) => (t.revoked ? 'revoked' : 'active') },
      { label: '', cell: (t) => (t.revoked ? '' : h('button', { type: 'button', class: 'small secondary', onclick: async () => { await del(`/tokens/${t.id}`); await loadTokens(); } }, 'Revoke')) },
    ], list, { empty: 'No API tokens.' }));
  }
  replace(m,
    h('h1', {}, 'My account'),
    h('div', { class: 'panel' }, h('dl', { class: 'props' },
      h('dt', {}, 'Name'), h('dd', {}, me.user.display_name),
      h('dt', {}, 'Username'), h('dd', {}, me.user.username),
      h('dt', {}, 'Role'), h('dd', {}, words(me.user.role)),
      h('dt', {}, 'Agency'), h('dd', {}, `${me.agency.name} (${me.agency.short_code})`),
      h('dt', {}, 'Session ends by'), h('dd', {}, when(me.session_expires_at) || '—'))),
    h('div', { class: 'grid2' },
      h('section', { class: 'panel' }, h('h2', {}, 'Password'), pw),
      h('section', { class: 'panel' }, h('h2', {}, 'API tokens'), h('p', { class: 'muted small' }, 'For scripts and other tools. A token acts as you.'), newToken, tokens)));
  await loadTokens();
});
