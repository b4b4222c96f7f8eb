// The step-up dialog (IA-11): privileged actions (accounts, tokens, case teams, exports) need the
// password and a current authenticator code entered within the last 15 minutes. api.js opens this
// dialog when the API answers STEP_UP_REQUIRED and retries the call once it is confirmed. A modal
// <dialog> keeps focus inside it; Escape or Cancel closes it and the action is not done.

import { h, replace, message, field } from './ui.js';

// Code of the error an action fails with when the person closes the dialog.
export const STEP_UP_CANCELLED = 'STEP_UP_CANCELLED';

const LOCKOUT_NOTE = 'Five failed attempts within 15 minutes lock the account.';

// Words for a refused confirmation, and which field (password or code) the API named, if any.
function explainFailure(err) {
  const m = /^(password|code)[:.]\s*(.*)$/.exec(err.message || '');
  if (err.status === 400 && m) {
    const reason = m[2] || 'is wrong';
    const text = m[1] === 'password' ? `The password ${reason}.` : `${reason[0].toUpperCase()}${reason.slice(1)}.`;
    return { field: m[1], text: `${text} ${LOCKOUT_NOTE}` };
  }
  if (err.code === 'ACCOUNT_LOCKED') {
    return { field: null, text: 'This account is now locked after repeated failed attempts. Ask a supervisor of your agency or an administrator to unlock it.' };
  }
  return { field: null, text: err.message || 'The confirmation did not go through. Try again.' };
}

function dialog(send) {
  return new Promise((resolve) => {
    const before = document.activeElement;
    const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
    const code = h('input', {
      name: 'code',
      class: 'code',
      inputmode: 'numeric',
      autocomplete: 'one-time-code',
      pattern: '[0-9]{6}',
      maxlength: '6',
      required: true,
    });
    const box = h('div', { class: 'form-messages', 'aria-live': 'assertive' });
    const confirm = h('button', { type: 'submit' }, 'Confirm');
    const cancel = h('button', { type: 'button', class: 'secondary', id: 'step-up-cancel' }, 'Cancel');
    const form = h(
      'form',
      { class: 'stack', id: 'step-up-form' },
      box,
      field('Your password', password),
      field('Authenticator code', code, 'the 6 digits your authenticator app shows now'),
      h('div', { class: 'actions' }, confirm, cancel),
    );
    const dlg = h(
      'dialog',
      { id: 'step-up', 'aria-labelledby': 'step-up-title', 'aria-describedby': 'step-up-why' },
      h('h2', { id: 'step-up-title' }, "For this action, please confirm it's you"),
      h(
        'p',
        { id: 'step-up-why', class: 'muted' },
        'Some actions, such as exports and account changes, ask for your password and a current code again. After you confirm, you will not be asked again for 15 minutes.',
      ),
      form,
    );

    let settled = false;
    function finish(outcome) {
      if (settled) return;
      settled = true;
      if (dlg.open) dlg.close();
      dlg.remove();
      if (before && typeof before.focus === 'function' && document.contains(before)) before.focus();
      resolve(outcome);
    }

    // Escape: the browser fires `cancel` (and, if it insists, `close`); both mean "not now".
    dlg.addEventListener('cancel', (e) => {
      e.preventDefault();
      finish({ cancelled: true });
    });
    dlg.addEventListener('close', () => finish({ cancelled: true }));
    cancel.addEventListener('click', () => finish({ cancelled: true }));

    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      confirm.disabled = true;
      replace(box);
      password.removeAttribute('aria-invalid');
      code.removeAttribute('aria-invalid');
      try {
        await send({ password: password.value, code: code.value.trim() });
        finish({ confirmed: true });
      } catch (err) {
        if (err && err.unauthenticated) {
          // The session ended (or the account was locked): the re-login dialog takes over.
          finish({ error: err });
          return;
        }
        const { field: bad, text } = explainFailure(err || {});
        replace(box, message('error', text));
        code.value = '';
        const target = bad === 'password' ? password : code;
        if (bad) target.setAttribute('aria-invalid', 'true');
        target.focus();
        // A wrong password is selected, so typing replaces it.
        if (bad === 'password') password.select();
      } finally {
        confirm.disabled = false;
      }
    });

    document.body.append(dlg);
    dlg.showModal();
    password.focus();
  });
}

// One dialog at a time: calls refused together wait for the same confirmation.
let pending = null;

// Asks for the password and a code; `send(body)` posts them to /auth/step-up. Resolves to
// {confirmed: true}, {cancelled: true} or {error} (the session ended meanwhile).
export function confirmIdentity(send) {
  if (!pending) {
    pending = dialog(send).finally(() => {
      pending = null;
    });
  }
  return pending;
}
