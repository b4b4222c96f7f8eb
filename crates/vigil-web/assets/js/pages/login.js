// The sign-in page. After sign-in it goes to `?next=` when that is a path on this site.

import { get } from '../api.js';
import { h, replace, main, message } from '../ui.js';
import { loginFlow } from '../login-flow.js';

function nextPath() {
  const next = new URLSearchParams(location.search).get('next') || '/';
  // Only local paths: never an open redirect to another site.
  return next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

async function run() {
  const m = main();
  m.classList.add('narrow');
  try {
    await get('/auth/session', { quiet: true });
    location.replace(nextPath());
    return;
  } catch (_) {
    // Not signed in: show the form.
  }
  const params = new URLSearchParams(location.search);
  const notice = params.has('signed_out') ? 'You have signed out.' : params.has('next') ? 'Sign in to continue.' : null;
  replace(
    m,
    h('h1', {}, 'Sign in to Vigil'),
    notice ? message('notice', notice) : null,
    loginFlow({ onComplete: async () => location.replace(nextPath()) }),
    h('p', { class: 'muted small' }, 'Want to report a concern without an account? Use the ', h('a', { href: '/tip' }, 'public tip form'), '.'),
  );
}

run();
