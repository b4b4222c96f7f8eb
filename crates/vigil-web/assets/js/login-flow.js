// The sign-in steps as one component (the login page and the re-login dialog use it): the
// system-use notice, username and password, then the TOTP code — or, at first sign-in, TOTP
// enrolment with the secret shown as text. Every step is an API call; the API decides.

import { post, get, setCsrf, clearCsrf } from './api.js';
import { h, replace, message, field, onSubmit } from './ui.js';

const LOCKED =
  'This account is locked after repeated failed sign-ins. Ask a supervisor of your agency or an administrator to unlock it.';

function explainLogin(err) {
  switch (err.code) {
    case 'LOGIN_FAILED':
      return 'The username or password is wrong. Five failed attempts within 15 minutes lock the account.';
    case 'ACCOUNT_LOCKED':
      return LOCKED;
    case 'SECOND_FACTOR_FAILED':
      return `${err.message[0].toUpperCase()}${err.message.slice(1)}. Five failed attempts within 15 minutes lock the account.`;
    case 'LOGIN_EXPIRED':
    case 'UNAUTHENTICATED':
      return 'The sign-in was interrupted or the account is locked. Start again.';
    default:
      return err.message || 'Sign-in failed.';
  }
}

function codeInput() {
  return h('input', {
    name: 'code',
    class: 'code',
    inputmode: 'numeric',
    autocomplete: 'one-time-code',
    pattern: '[0-9]{6}',
    maxlength: '6',
    required: true,
    'aria-label': '6-digit code',
  });
}

// Groups a base32 secret in fours so it can be typed into an authenticator app.
const grouped = (secret) => secret.replace(/(.{4})/g, '$1 ').trim();

// Returns an element that runs the whole sign-in; calls onComplete() once the session is full.
export function loginFlow({ onComplete, notice } = {}) {
  const root = h('div', { class: 'login-flow' });

  function fail(box, err, restart) {
    replace(box, message('error', explainLogin(err)));
    if (restart) {
      const again = h('button', { type: 'button', class: 'secondary' }, 'Start again');
      again.addEventListener('click', () => passwordStep(explainLogin(err)));
      box.append(again);
    }
  }

  async function passwordStep(note) {
    clearCsrf();
    let banner = '';
    try {
      banner = (await get('/auth/banner', { quiet: true })).banner;
    } catch (_) {
      banner = 'Use of this system is limited to authorised task-force members and is audited.';
    }
    const user = h('input', { name: 'username', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' });
    const pass = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
    const ack = h('input', { type: 'checkbox', name: 'acknowledge', required: true, id: 'ack' });
    const form = h(
      'form',
      { class: 'stack', id: 'login-form' },
      h('div', { class: 'notice', id: 'banner' }, h('strong', {}, 'System-use notice. '), banner),
      h('label', { class: 'inline', for: 'ack' }, ack, 'I have read the notice and use this system for official purposes.'),
      field('Username', user),
      field('Password', pass),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Continue')),
    );
    onSubmit(form, async (data, _f, box) => {
      let step;
      try {
        step = await post(
          '/auth/login',
          { username: String(data.get('username')).trim(), password: String(data.get('password')), acknowledge_banner: ack.checked },
          { quiet: true },
        );
      } catch (err) {
        pass.value = '';
        fail(box, err, false);
        return;
      }
      setCsrf(step.csrf_token);
      if (step.stage === 'enrol') await enrolStep();
      else await codeStep();
    });
    const first = note || notice;
    replace(root, first ? message('notice', first) : null, form);
    user.focus();
  }

  async function finish(step) {
    setCsrf(step.csrf_token);
    replace(root, message('success', 'Signed in.'));
    if (onComplete) await onComplete();
  }

  async function codeStep() {
    const code = codeInput();
    const form = h(
      'form',
      { class: 'stack', id: 'totp-form' },
      h('h2', {}, 'Second factor'),
      h('p', {}, 'Enter the 6-digit code your authenticator app shows for Vigil.'),
      field('Code', code),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Sign in')),
    );
    onSubmit(form, async (data, _f, box) => {
      try {
        await finish(await post('/auth/totp', { code: String(data.get('code')).trim() }, { quiet: true }));
      } catch (err) {
        code.value = '';
        fail(box, err, err.code !== 'SECOND_FACTOR_FAILED');
        code.focus();
      }
    });
    replace(root, form);
    code.focus();
  }

  async function enrolStep() {
    let enrolment;
    try {
      enrolment = await post('/auth/totp/enrol', undefined, { quiet: true });
    } catch (err) {
      replace(root, message('error', explainLogin(err)));
      return;
    }
    const code = codeInput();
    const form = h(
      'form',
      { class: 'stack', id: 'enrol-form' },
      h('h2', {}, 'Set up your second factor'),
      h('p', {}, 'Every sign-in needs a code from an authenticator app as well as your password. Add Vigil to your app now:'),
      h('ol', {},
        h('li', {}, 'In the app, choose to add an account by entering a setup key.'),
        h('li', {}, 'Enter this key (time-based, 6 digits, 30 seconds):', h('p', { class: 'secret', id: 'totp-secret' }, grouped(enrolment.secret_base32))),
        h('li', {}, 'Type the code the app shows below.'),
      ),
      h('details', {}, h('summary', {}, 'Setup link for apps that accept one'), h('p', { class: 'mono small', id: 'otpauth-uri' }, enrolment.otpauth_uri)),
      field('Code from the app', code),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Confirm and sign in')),
    );
    onSubmit(form, async (data, _f, box) => {
      try {
        await finish(await post('/auth/totp/confirm', { code: String(data.get('code')).trim() }, { quiet: true }));
      } catch (err) {
        code.value = '';
        fail(box, err, err.code !== 'SECOND_FACTOR_FAILED');
        code.focus();
      }
    });
    replace(root, form);
    code.focus();
  }

  passwordStep();
  return root;
}

export { LOCKED };
