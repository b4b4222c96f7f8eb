// The frame of every signed-in page: asks the API who is signed in (or sends the reader to sign
// in), draws the header, warns before the idle timeout and offers to sign in again when the
// session has ended. The menu only hides links a role has no use for; the API decides access.

import { get, post, onActivity, onUnauthenticated, clearCsrf } from './api.js';
import { h, replace, main, message, words, errorBox } from './ui.js';
import { loginFlow } from './login-flow.js';

const WARN_BEFORE_MS = 2 * 60 * 1000;

function signInUrl() {
  const next = location.pathname + location.search;
  return `/login?next=${encodeURIComponent(next)}`;
}

function nav(me) {
  const role = me.user.role;
  const links = [['/', 'Home'], ['/cases', 'Cases']];
  // Triage: supervisors route the queue; investigators and analysts work what is routed or
  // assigned to them; advocates enter referrals. Survivors: records shown by pseudonym to anyone
  // a record is visible to (the API decides which).
  if (['supervisor', 'investigator', 'analyst', 'victim_advocate'].includes(role)) links.push(['/triage', 'Triage']);
  if (role !== 'administrator') links.push(['/vault', 'Survivors']);
  if (role === 'administrator') links.push(['/admin', 'Administration']);
  if (role === 'supervisor') links.push(['/admin', 'People'], ['/admin/audit', 'Audit trail']);
  links.push(['/account', 'My account']);
  const here = location.pathname;
  const current = (href) => (href === '/' ? here === '/' : here === href || here.startsWith(`${href}/`));
  return h('nav', { 'aria-label': 'Main' }, links.map(([href, label]) => h('a', { href, 'aria-current': current(href) ? 'page' : null }, label)));
}

async function signOut() {
  try {
    await post('/auth/logout', undefined, { quiet: true });
  } catch (_) {
    // The session may already have ended; signing out locally is all that is left to do.
  }
  clearCsrf();
  location.replace('/login?signed_out=1');
}

function header(me) {
  const out = h('button', { type: 'button', class: 'linklike', id: 'sign-out' }, 'Sign out');
  out.addEventListener('click', signOut);
  return [
    h('a', { class: 'brand', href: '/' }, 'Vigil'),
    nav(me),
    h(
      'div',
      { class: 'who' },
      h('span', { id: 'who-name' }, me.user.display_name),
      h('span', { class: 'agency' }, `${words(me.user.role)} · ${me.agency.short_code}`),
      out,
    ),
  ];
}

// Idle timeout: the server ends a session after `idle_timeout_seconds` without a call. Warn two
// minutes before; when it has ended, hide the page and offer to sign in again.
function idleWatch(me) {
  const idleMs = me.idle_timeout_seconds * 1000;
  let last = Date.now();
  let warned = null;
  let ended = false;
  onActivity(() => {
    last = Date.now();
    if (warned) {
      warned.close();
      warned.remove();
      warned = null;
    }
  });

  function warn(remainingMs) {
    if (warned) return;
    const minutes = Math.max(1, Math.round(remainingMs / 60000));
    const stay = h('button', { type: 'button', id: 'stay-signed-in' }, 'Stay signed in');
    const leave = h('button', { type: 'button', class: 'secondary' }, 'Sign out now');
    warned = h(
      'dialog',
      { id: 'idle-warning', 'aria-labelledby': 'idle-title' },
      h('h2', { id: 'idle-title' }, 'Still there?'),
      h('p', {}, `You will be signed out in about ${minutes} minute${minutes === 1 ? '' : 's'} because nothing has happened for a while.`),
      h('div', { class: 'actions' }, stay, leave),
    );
    stay.addEventListener('click', () => get('/auth/session').catch(() => {}));
    leave.addEventListener('click', signOut);
    document.body.append(warned);
    warned.showModal();
    stay.focus();
  }

  function end(reason) {
    if (ended) return;
    ended = true;
    if (warned) {
      warned.close();
      warned.remove();
      warned = null;
    }
    main().hidden = true;
    const dlg = h(
      'dialog',
      { id: 'relogin', 'aria-labelledby': 'relogin-title' },
      h('h2', { id: 'relogin-title' }, 'Your session has ended'),
      h('p', {}, reason),
    );
    dlg.append(
      loginFlow({
        onComplete: async () => {
          location.reload();
        },
      }),
    );
    dlg.addEventListener('cancel', (e) => e.preventDefault());
    document.body.append(dlg);
    dlg.showModal();
  }

  onUnauthenticated((err) => {
    end(err.code === 'SESSION_EXPIRED'
      ? 'You were signed out after a period without activity. Sign in again to continue.'
      : 'You are no longer signed in. Sign in again to continue.');
  });

  setInterval(() => {
    if (ended) return;
    const remaining = idleMs - (Date.now() - last);
    if (remaining <= 0) end('You were signed out after a period without activity. Sign in again to continue.');
    else if (remaining <= WARN_BEFORE_MS) warn(remaining);
  }, 10000);
}

// Starts a signed-in page: `render(mainElement, me)` fills it.
export async function start(render, { wide = false } = {}) {
  // A page restored from the back-forward cache after sign-out must ask the server again.
  window.addEventListener('pageshow', (e) => {
    if (e.persisted) location.reload();
  });
  let me;
  try {
    me = await get('/auth/session', { quiet: true });
  } catch (err) {
    if (err.unauthenticated) {
      location.replace(signInUrl());
      return;
    }
    replace(main(), errorBox(err));
    return;
  }
  replace(document.getElementById('top'), header(me));
  const m = main();
  if (wide) m.classList.add('wide');
  idleWatch(me);
  try {
    await render(m, me);
  } catch (err) {
    if (err && err.unauthenticated) return;
    m.append(errorBox(err));
  }
}

export { message };
