// The form that adds an entity to a case: pick a FollowTheMoney schema, fill its properties.
// The property lists mirror vigil-core's entity.rs; the API validates every value and names the
// property it refuses.

import { post, patch } from './api.js';
import { h, replace, field, select, onSubmit, message } from './ui.js';

// [property, label, kind] — kind picks the input: text, date, choice list, long text.
const COMMON = [['name', 'Name', 'text']];
const SCHEMAS = {
  Person: [
    ['name', 'Full name', 'text'], ['firstName', 'First name', 'text'], ['lastName', 'Last name', 'text'],
    ['alias', 'Alias', 'text'], ['birthDate', 'Date of birth', 'date'],
    ['gender', 'Gender', ['', 'male', 'female', 'other', 'unknown']], ['nationality', 'Nationality (2-letter code)', 'text'],
    ['phone', 'Phone', 'text'], ['email', 'E-mail', 'text'], ['idNumber', 'ID number', 'text'],
    ['htcdsRole', 'Role in the situation', ['', 'victim', 'suspected_perpetrator', 'witness', 'other']],
  ],
  Phone: [['number', 'Number', 'text'], ['country', 'Country (2-letter code)', 'text'], ['name', 'Label', 'text']],
  Email: [['address', 'Address', 'text'], ['name', 'Label', 'text']],
  Organization: [...COMMON, ['alias', 'Alias', 'text'], ['registrationNumber', 'Registration number', 'text'], ['jurisdiction', 'Jurisdiction (2-letter code)', 'text'], ['phone', 'Phone', 'text'], ['email', 'E-mail', 'text'], ['website', 'Website', 'text']],
  Company: [...COMMON, ['alias', 'Alias', 'text'], ['registrationNumber', 'Registration number', 'text'], ['jurisdiction', 'Jurisdiction (2-letter code)', 'text'], ['phone', 'Phone', 'text'], ['email', 'E-mail', 'text'], ['website', 'Website', 'text']],
  Address: [['full', 'Full address', 'text'], ['street', 'Street', 'text'], ['city', 'City', 'text'], ['postalCode', 'Postal code', 'text'], ['region', 'Region', 'text'], ['country', 'Country (2-letter code)', 'text']],
  Vehicle: [...COMMON, ['registrationNumber', 'Registration (plate)', 'text'], ['model', 'Model', 'text'], ['color', 'Colour', 'text'], ['country', 'Country (2-letter code)', 'text']],
  BankAccount: [...COMMON, ['accountNumber', 'Account number', 'text'], ['iban', 'IBAN', 'text'], ['bankName', 'Bank', 'text'], ['country', 'Country (2-letter code)', 'text']],
  CryptoWallet: [...COMMON, ['publicKey', 'Address / public key', 'text'], ['currency', 'Currency', 'text']],
  UserAccount: [...COMMON, ['username', 'Username / handle', 'text'], ['service', 'Service', 'text'], ['url', 'Profile URL', 'text']],
  OnlineAd: [...COMMON, ['title', 'Title', 'text'], ['url', 'URL', 'text'], ['site', 'Site', 'text'], ['postedAt', 'Posted on', 'date'], ['location', 'Location', 'text'], ['text', 'Ad text', 'long']],
  Location: [...COMMON, ['city', 'City', 'text'], ['region', 'Region', 'text'], ['country', 'Country (2-letter code)', 'text']],
  Event: [...COMMON, ['date', 'Date', 'date'], ['endDate', 'End date', 'date'], ['location', 'Location', 'text'], ['summary', 'Summary', 'long']],
};

export const SCHEMA_NAMES = Object.keys(SCHEMAS);

function input(prop, kind) {
  if (Array.isArray(kind)) return select(prop, kind.map((v) => [v, v ? v.replaceAll('_', ' ') : '—']), '');
  if (kind === 'long') return h('textarea', { name: prop });
  if (kind === 'date') return h('input', { name: prop, placeholder: 'YYYY-MM-DD', autocomplete: 'off' });
  return h('input', { name: prop, autocomplete: 'off' });
}

// A form adding an entity to `caseId`; `onAdded(entity)` after the API accepted it.
export function entityForm(caseId, onAdded, initial = 'Person') {
  const fields = h('div', { class: 'grid2' });
  const schema = select('schema', SCHEMA_NAMES.map((n) => [n, n]), initial);
  schema.id = 'entity-schema';
  function draw() {
    replace(fields, (SCHEMAS[schema.value] || COMMON).map(([p, label, kind]) => field(label, input(p, kind))), field('Notes', h('textarea', { name: 'notes' })));
  }
  schema.addEventListener('change', draw);
  draw();
  const form = h('form', { class: 'stack', id: 'entity-form' }, field('Kind', schema), fields, h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Add')));
  onSubmit(form, async (d, f, box) => {
    const properties = {};
    for (const [k, v] of d.entries()) {
      if (k === 'schema') continue;
      const t = String(v).trim();
      if (t) properties[k] = [t];
    }
    const e = await post(`/cases/${caseId}/entities`, { schema: schema.value, properties });
    f.reset();
    schema.value = e.schema;
    draw();
    replace(box, message('success', `Added ${e.schema}: ${e.caption}`));
    await onAdded(e);
  });
  return form;
}

// A form replacing the properties of an existing entity (PATCH /entities/{id}).
export function entityEditForm(entity, onSaved) {
  const props = SCHEMAS[entity.schema] || COMMON;
  const known = new Set(props.map(([p]) => p));
  const fields = props.map(([p, label, kind]) => {
    const el = input(p, kind);
    el.value = (entity.properties[p] || []).join('; ');
    return field(label, el, (entity.properties[p] || []).length > 1 ? 'Several values: separate them with "; ".' : null);
  });
  const notes = h('textarea', { name: 'notes' });
  notes.value = (entity.properties.notes || []).join('; ');
  const form = h('form', { class: 'stack', id: 'entity-edit' }, h('div', { class: 'grid2' }, fields, field('Notes', notes)), h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Save')));
  onSubmit(form, async (d, _f, box) => {
    const properties = {};
    // Properties this form does not show are kept as they are.
    for (const [k, v] of Object.entries(entity.properties)) if (!known.has(k) && k !== 'notes') properties[k] = v;
    for (const [k, v] of d.entries()) {
      const vals = String(v).split(';').map((x) => x.trim()).filter(Boolean);
      if (vals.length) properties[k] = vals;
    }
    const e = await patch(`/entities/${entity.id}`, { properties });
    replace(box, message('success', 'Saved.'));
    await onSaved(e);
  });
  return form;
}

// Colours per schema, shared by lists and the link chart (all ≥ 3:1 against white).
export const SCHEMA_COLOURS = {
  Person: '#1d4f7a',
  Phone: '#8a4b08',
  Email: '#6b3f8f',
  UserAccount: '#6b3f8f',
  OnlineAd: '#a3262a',
  Address: '#2f6b3a',
  Location: '#2f6b3a',
  Organization: '#444b52',
  Company: '#444b52',
  BankAccount: '#7a5c00',
  CryptoWallet: '#7a5c00',
  Vehicle: '#00606b',
  Event: '#5a5a5a',
};
