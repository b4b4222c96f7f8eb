// The one way pages talk to Vigil: fetch /api/v1 with the session cookie, send X-CSRF-Token on
// every state change, and turn the API's error shape into ApiError. Pages never decide who may see
// what; they show what the API returns and the API's refusals. A privileged call refused with
// STEP_UP_REQUIRED opens the step-up dialog (step-up.js) here, once for every caller, and is sent
// again after the person confirms it's them.

import { confirmIdentity, STEP_UP_CANCELLED } from './step-up.js';

const CSRF_KEY = 'vigil.csrf';
const BASE = '/api/v1';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code || `HTTP ${status}`);
    this.status = status;
    this.code = code || '';
  }

  // 401: the session is missing, expired or ended.
  get unauthenticated() {
    return this.status === 401;
  }
}

export function setCsrf(token) {
  try {
    localStorage.setItem(CSRF_KEY, token);
  } catch (_) {
    // Storage can be disabled; state changes will then be refused and the page says so.
  }
}

export function clearCsrf() {
  try {
    localStorage.removeItem(CSRF_KEY);
  } catch (_) {
    // Nothing to clear.
  }
}

function csrf() {
  try {
    return localStorage.getItem(CSRF_KEY) || '';
  } catch (_) {
    return '';
  }
}

// Listeners told about every answered call (the idle timer) and about 401s (the re-login dialog).
const activity = new Set();
const unauthenticated = new Set();

export function onActivity(fn) {
  activity.add(fn);
}

export function onUnauthenticated(fn) {
  unauthenticated.add(fn);
}

async function errorFrom(res) {
  let code = '';
  let message = '';
  try {
    const body = await res.json();
    code = body?.error?.code || '';
    message = body?.error?.message || '';
    if (body?.error?.request_id) message += ` (request id ${body.error.request_id})`;
  } catch (_) {
    message = `the server answered ${res.status}`;
  }
  return new ApiError(res.status, code, message);
}

function headersFor(method, hasBody) {
  const h = { Accept: 'application/json' };
  if (hasBody) h['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD') {
    const t = csrf();
    if (t) h['X-CSRF-Token'] = t;
  }
  return h;
}

const networkError = () => new ApiError(0, 'NETWORK', 'Vigil could not be reached; check the connection and try again.');

const needsStepUp = (err) => err.status === 403 && err.code === 'STEP_UP_REQUIRED';

// Opens the step-up dialog; resolves once the person confirmed, else throws what the original
// call should fail with.
async function stepUp() {
  const outcome = await confirmIdentity((body) => api('POST', '/auth/step-up', body, { stepUp: false }));
  if (outcome.confirmed) return;
  if (outcome.error) throw outcome.error;
  throw new ApiError(403, STEP_UP_CANCELLED, 'Not done: this action needs you to confirm it\'s you with your password and a current code. Try again when you are ready.');
}

// Sends a request built by `send()` (a fetch promise); on STEP_UP_REQUIRED asks for the step-up
// and sends it once more. Resolves to the successful Response; throws ApiError otherwise.
async function exchange(send, { quiet = false, stepUp: mayStepUp = true } = {}) {
  let res;
  try {
    res = await send();
  } catch (_) {
    throw networkError();
  }
  if (!res.ok) {
    const err = await errorFrom(res);
    if (mayStepUp && needsStepUp(err)) {
      await stepUp();
      return exchange(send, { quiet, stepUp: false });
    }
    if (err.unauthenticated && !quiet) unauthenticated.forEach((fn) => fn(err));
    throw err;
  }
  activity.forEach((fn) => fn());
  return res;
}

// Calls the API. `path` is relative to /api/v1. Resolves to the parsed JSON (or null for 204).
// `stepUp: false` turns off the step-up dialog (the step-up call itself).
export async function api(method, path, body, { quiet = false, stepUp: mayStepUp = true } = {}) {
  const hasBody = body !== undefined;
  const res = await exchange(
    () =>
      fetch(BASE + path, {
        method,
        headers: headersFor(method, hasBody),
        body: hasBody ? JSON.stringify(body) : undefined,
        credentials: 'same-origin',
        cache: 'no-store',
        redirect: 'error',
      }),
    { quiet, stepUp: mayStepUp },
  );
  if (res.status === 204) return null;
  const type = res.headers.get('content-type') || '';
  if (type.includes('application/json')) return res.json();
  return res.text();
}

export const get = (path, opts) => api('GET', path, undefined, opts);
export const post = (path, body, opts) => api('POST', path, body, opts);
export const patch = (path, body, opts) => api('PATCH', path, body, opts);
export const del = (path, opts) => api('DELETE', path, undefined, opts);

// Fetches a non-JSON download (e.g. the audit export) and returns it as a Blob.
export async function download(path) {
  const res = await exchange(() =>
    fetch(BASE + path, {
      headers: { Accept: '*/*' },
      credentials: 'same-origin',
      cache: 'no-store',
    }),
  );
  return res.blob();
}

// Sends a JSON body and returns the answer as a Blob (e.g. the evidence court package).
export async function downloadPost(path, body) {
  const res = await exchange(() =>
    fetch(BASE + path, {
      method: 'POST',
      headers: { ...headersFor('POST', true), Accept: '*/*' },
      body: JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    }),
  );
  return res.blob();
}

// Uploads a file as the raw request body with progress (XMLHttpRequest reports upload progress;
// fetch does not). `onProgress(sent, total)`. Resolves to the parsed JSON answer. A File can be
// read again, so a STEP_UP_REQUIRED refusal is confirmed and the upload sent once more.
export async function upload(path, file, { headers = {}, onProgress } = {}, mayStepUp = true) {
  const { status, body } = await new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', BASE + path);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
    const t = csrf();
    if (t) xhr.setRequestHeader('X-CSRF-Token', t);
    for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => {
      if (onProgress && e.lengthComputable) onProgress(e.loaded, e.total);
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', 'the upload was interrupted'));
    xhr.onload = () => {
      let parsed = null;
      try {
        parsed = JSON.parse(xhr.responseText || 'null');
      } catch (_) {
        parsed = null;
      }
      resolve({ status: xhr.status, body: parsed });
    };
    xhr.send(file);
  });
  if (status >= 200 && status < 300) {
    activity.forEach((fn) => fn());
    return body;
  }
  const err = new ApiError(status, body?.error?.code, body?.error?.message);
  if (mayStepUp && needsStepUp(err)) {
    await stepUp();
    return upload(path, file, { headers, onProgress }, false);
  }
  if (err.unauthenticated) unauthenticated.forEach((fn) => fn(err));
  throw err;
}

// A query string from an object, skipping empty values.
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, v);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}
