// Survivor records (the victim vault): the list by pseudonym, and one record with its details,
// consents (record and revoke), screenings, referrals and safety plan. The API decides which
// parts a reader gets: advocates of the serving agency see the record; everyone else sees the
// pseudonym and only what a consent allows. Wording is written for people who have been harmed.

import { start } from '../shell.js';
import { get, post, api } from '../api.js';
import { h, replace, table, badge, when, day, words, field, select, onSubmit, message, pathId, setTitle, errorBox } from '../ui.js';

const CATEGORIES = [['identity', 'identity (name, date of birth, nationality, languages)'], ['contact', 'contact details'], ['screening', 'screening answers'], ['services', 'services and referrals']];
const SECTIONS = [['warning_signs', 'Warning signs'], ['safe_people', 'Safe people'], ['safe_places', 'Safe places'], ['communication', 'How to stay in touch safely'], ['emergency_steps', 'In an emergency'], ['children_and_dependants', 'Children and dependants'], ['documents', 'Documents'], ['other', 'Other']];
const ANSWERS = [['', 'not asked'], ['yes', 'yes'], ['no', 'no'], ['unsure', 'not sure'], ['declined', 'preferred not to say']];
const ROLES = [['', 'everyone there'], ['investigator', 'investigators'], ['prosecutor', 'prosecutors'], ['supervisor', 'supervisors'], ['analyst', 'analysts'], ['victim_advocate', 'victim advocates']];
const NEXT_STATUS = { sent: ['accepted', 'declined'], accepted: ['service_delivered', 'closed'], service_delivered: ['closed'], declined: ['closed'] };

async function list(m, me) {
  setTitle('Survivors');
  const items = (await get('/victims')).items;
  const create = h('form', { class: 'stack', id: 'victim-form' },
    h('p', { class: 'muted' }, 'Only what the person agreed to share, and only what is needed. They can ask to see or change it at any time.'),
    field('Full name', h('input', { name: 'full_name', required: true, autocomplete: 'off' })),
    field('Name they prefer to be called', h('input', { name: 'preferred_name', autocomplete: 'off' })),
    field('Languages', h('input', { name: 'languages', autocomplete: 'off', placeholder: 'es, en' }), 'Two-letter codes, separated by commas.'),
    field('Safe ways and times to make contact', h('textarea', { name: 'contact_notes' })),
    h('button', { type: 'submit' }, 'Open record'));
  onSubmit(create, async (d) => {
    const opt = (k) => String(d.get(k) || '').trim() || null;
    const v = await post('/victims', {
      full_name: String(d.get('full_name')).trim(),
      preferred_name: opt('preferred_name'),
      languages: String(d.get('languages') || '').split(',').map((x) => x.trim()).filter(Boolean),
      contact_notes: opt('contact_notes'),
    });
    location.assign(`/vault/${v.id}`);
  });
  replace(m, h('h1', {}, 'Survivors'),
    h('p', { class: 'muted' }, 'Records are shown by pseudonym. Details appear only for the advocates serving the person, or where the person has consented.'),
    h('section', { class: 'panel' }, table([
      { label: 'Pseudonym', cell: (v) => h('a', { href: `/vault/${v.id}` }, v.pseudonym) },
      { label: 'Shared with you', cell: (v) => (v.access && v.access.length ? v.access.map(words).join(', ') : h('span', { class: 'muted' }, 'the pseudonym only')) },
      { label: 'Opened', cell: (v) => day(v.created_at) },
    ], items, { empty: 'No records you may see.' })),
    // Records are opened by advocates (the API refuses anyone else); others are not shown the form.
    me.user.role === 'victim_advocate' ? h('details', { class: 'panel' }, h('summary', {}, 'Open a record for someone your agency supports'), create) : null);
}

async function record(m, me, id) {
  let v;
  try {
    v = await get(`/victims/${id}`);
  } catch (err) {
    replace(m, h('h1', {}, 'Survivor record'), errorBox(err));
    return;
  }
  setTitle(v.pseudonym);
  // The API returns a record's case links only to those who manage it (the serving agency's
  // advocates): they get the forms, and the API still decides each call. Nobody else is shown
  // forms or asks for the consents (which only those advocates may read).
  const manages = Array.isArray(v.cases);
  const consents = manages ? (await get(`/victims/${id}/consents`)).items : null;
  const boxes = { consents: h('div'), screenings: h('div'), referrals: h('div'), plan: h('div') };
  const shown = new Set(v.access || []);
  const id_ = v.identity;
  const details = h('section', { class: 'panel', id: 'victim-details' }, h('h2', {}, 'Details'),
    id_ ? h('dl', { class: 'props', id: 'victim-identity' },
      h('dt', {}, 'Name'), h('dd', {}, id_.full_name),
      h('dt', {}, 'Prefers'), h('dd', {}, id_.preferred_name || '—'),
      h('dt', {}, 'Born'), h('dd', {}, id_.birth_date || '—'),
      h('dt', {}, 'Nationality'), h('dd', {}, id_.nationality || '—'),
      h('dt', {}, 'Languages'), h('dd', {}, (id_.languages || []).join(', ') || '—'))
      : h('p', { class: 'notice', id: 'pseudonym-only' }, `Identity is not shared with you. This person is referred to as ${v.pseudonym}.`),
    v.contact ? h('dl', { class: 'props' },
      h('dt', {}, 'Phone'), h('dd', {}, v.contact.phone || '—'),
      h('dt', {}, 'E-mail'), h('dd', {}, v.contact.email || '—'),
      h('dt', {}, 'Safe contact'), h('dd', {}, v.contact.contact_notes || '—')) : null,
    v.cases ? [h('h3', {}, 'Cases'), table([{ label: 'Case', cell: (c) => h('a', { href: `/cases/${c.case_id}` }, 'open case') }, { label: 'Linked', cell: (c) => day(c.linked_at) }], v.cases, { empty: 'Not linked to a case.' })] : null,
    h('p', { class: 'muted small' }, `Shared with you: ${shown.size ? [...shown].join(', ') : 'the pseudonym only'}.`));

  // Consents. Withdrawing asks once more in the page (no blocking browser dialog).
  function withdrawButton(c) {
    const cell = h('span', { class: 'row' });
    const ask = h('button', { type: 'button', class: 'small secondary', dataset: { revoke: c.id } }, 'Withdraw');
    ask.addEventListener('click', () => {
      const yes = h('button', { type: 'button', class: 'small danger', dataset: { confirmRevoke: c.id } }, 'Withdraw now');
      const no = h('button', { type: 'button', class: 'small secondary' }, 'Keep');
      yes.addEventListener('click', async () => {
        yes.disabled = true;
        try { await post(`/consents/${c.id}/revoke`); await loadConsents(); } catch (err) { boxes.consents.prepend(errorBox(err)); }
      });
      no.addEventListener('click', () => replace(cell, ask));
      replace(cell, h('span', { class: 'small' }, 'Access it allowed stops at once.'), yes, no);
      yes.focus();
    });
    return replace(cell, ask);
  }
  const recipientName = (r) => {
    const [kind, rid, , role] = r.split(':');
    if (kind === 'provider') return `provider: ${providers.find((p) => p.id === rid)?.name || 'a provider'}`;
    if (kind === 'role') return `every ${words(rid)}`;
    const a = agencies.find((x) => x.id === rid)?.short_code || 'an agency';
    return role ? `${words(role)}s at ${a}` : `everyone at ${a}`;
  };
  async function loadConsents(prefetched) {
    const items = prefetched || (await get(`/victims/${id}/consents`)).items;
    replace(boxes.consents, table([
      { label: 'Purpose', cell: (c) => c.purpose },
      { label: 'Shared with', cell: (c) => c.recipients.map(recipientName).join(', ') },
      { label: 'What', cell: (c) => c.categories.join(', ') },
      { label: 'Given', cell: (c) => `${day(c.given_at)} (${c.language})` },
      { label: 'Until', cell: (c) => (c.expires_at ? day(c.expires_at) : 'no end date') },
      { label: 'State', cell: (c) => (c.active ? badge('active', 'in force') : badge('closed', c.revoked_at ? `withdrawn ${day(c.revoked_at)}` : 'ended')) },
      { label: '', cell: (c) => (c.active ? withdrawButton(c) : '') },
    ], items, { empty: 'No consents recorded.' }));
  }
  let agencies = [];
  try { agencies = (await get('/agencies')).items; } catch (_) { agencies = []; }
  let providers = [];
  try { providers = (await get('/providers')).items; } catch (_) { providers = []; }
  const recipientOpts = [...agencies.map((a) => [`agency:${a.id}`, `${a.short_code} — ${a.name}`]), ...providers.map((p) => [`provider:${p.id}`, `provider: ${p.name}`])];
  const consentForm = h('form', { class: 'stack', id: 'consent-form' },
    h('p', { class: 'muted small' }, 'Record only what the person agreed to, in their words where possible. They can withdraw it at any time.'),
    field('Purpose', h('input', { name: 'purpose', required: true, autocomplete: 'off' }), 'e.g. "so the investigators can contact me about the case"'),
    field('Shared with', select('recipient', recipientOpts, recipientOpts[0]?.[0])),
    field('Only people in this role there', select('recipient_role', ROLES, ''), 'Leave as "everyone" only if the person agreed to share with the whole agency.'),
    h('fieldset', {}, h('legend', {}, 'What may be shared'), CATEGORIES.map(([k, label]) => h('label', { class: 'inline' }, h('input', { type: 'checkbox', name: 'categories', value: k }), label))),
    field('Until (optional)', h('input', { name: 'expires_at', type: 'date' })),
    field('Language it was explained in', h('input', { name: 'language', required: true, value: 'en', maxlength: '8' })),
    h('button', { type: 'submit' }, 'Record consent'));
  onSubmit(consentForm, async (d, f) => {
    await post(`/victims/${id}/consents`, {
      purpose: String(d.get('purpose')).trim(),
      recipients: [String(d.get('recipient')).startsWith('agency:') && d.get('recipient_role') ? `${d.get('recipient')}:role:${d.get('recipient_role')}` : d.get('recipient')],
      categories: d.getAll('categories'),
      expires_at: d.get('expires_at') || null,
      language: String(d.get('language')).trim(),
    });
    f.reset();
    await loadConsents();
  });

  // Screenings.
  let questionnaires = [];
  try { questionnaires = (await get('/screening/questionnaires')).items; } catch (_) { questionnaires = []; }
  async function loadScreenings() {
    const items = (await get(`/victims/${id}/screenings`)).items;
    replace(boxes.screenings, items.length ? items.map((s) => h('div', { class: 'note' },
      h('div', { class: 'meta' }, `${when(s.administered_at)} · ${s.questionnaire} v${s.version} · asked in ${s.language}`),
      h('p', {}, h('strong', {}, s.recommendation === 'follow_up_recommended' ? 'Follow-up recommended. ' : 'No indicators reported. '), s.message),
      s.concerns.length ? h('ul', {}, s.concerns.map((c) => h('li', {}, `${words(c.domain)}: ${c.questions.length} answer${c.questions.length === 1 ? '' : 's'} of concern`))) : null)) : h('p', { class: 'empty' }, 'No screenings yet.'));
  }
  function screeningForm() {
    const q = questionnaires[0];
    if (!q) return h('p', { class: 'muted' }, 'No questionnaire is available to you.');
    const form = h('form', { class: 'stack', id: 'screening-form' },
      h('p', { class: 'muted small' }, q.intro),
      h('p', { class: 'muted small' }, 'Any question may be skipped. The result suggests whether to follow up; it is never a finding about the person.'),
      q.domains.map((dm) => h('fieldset', {}, h('legend', {}, dm.title), dm.questions.map((qq) => field(qq.text, select(qq.id, ANSWERS, ''))))),
      field('Language the questions were asked in', h('input', { name: '__language', required: true, value: q.language, maxlength: '8' })),
      h('button', { type: 'submit' }, 'Save screening'));
    onSubmit(form, async (d, f) => {
      const answers = {};
      for (const [k, val] of d.entries()) if (k !== '__language' && val) answers[k] = val;
      await post(`/victims/${id}/screenings`, { questionnaire: q.id, version: q.version, language: String(d.get('__language')), answers });
      f.reset();
      await loadScreenings();
    });
    return h('details', {}, h('summary', {}, `Administer: ${q.title}`), form);
  }

  // Referrals.
  async function loadReferrals() {
    const r = await get(`/victims/${id}/referrals`);
    const name = new Map(providers.map((p) => [p.id, p.name]));
    replace(boxes.referrals, table([
      { label: 'Provider', cell: (x) => name.get(x.provider_id) || 'provider' },
      { label: 'Service', cell: (x) => words(x.service_type) },
      { label: 'Status', cell: (x) => badge(x.status, words(x.status)) },
      { label: 'Updated', cell: (x) => day(x.updated_at) },
      { label: '', cell: (x) => h('span', { class: 'row' }, (manages ? NEXT_STATUS[x.status] || [] : []).map((s) => h('button', { type: 'button', class: 'small secondary', onclick: async () => {
        try { await post(`/referrals/${x.id}/status`, { status: s }); await loadReferrals(); } catch (err) { boxes.referrals.prepend(errorBox(err)); }
      } }, words(s)))) },
    ], r.referrals, { empty: 'No referrals yet.' }),
    r.services.length ? [h('h3', {}, 'Services delivered'), table([{ label: 'Service', cell: (s) => words(s.service_type) }, { label: 'On', cell: (s) => s.delivered_on }, { label: 'Note', cell: (s) => s.note || '' }], r.services)] : null);
  }
  // The service choices follow the provider chosen (its directory entry lists what it offers).
  const providerSel = select('provider_id', providers.map((p) => [p.id, `${p.name} (${p.service_types.map(words).join(', ')})`]), providers[0]?.id);
  const serviceSel = select('service_type', [], '');
  const offer = () => {
    const p = providers.find((x) => x.id === providerSel.value);
    replace(serviceSel, (p ? p.service_types : []).map((t) => h('option', { value: t }, words(t))));
  };
  providerSel.addEventListener('change', offer);
  offer();
  const referForm = h('form', { class: 'inline-form', id: 'referral-form' },
    field('Provider', providerSel),
    field('Service', serviceSel),
    h('button', { type: 'submit', class: 'secondary' }, 'Refer'));
  onSubmit(referForm, async (d) => {
    await post(`/victims/${id}/referrals`, { provider_id: d.get('provider_id'), service_type: String(d.get('service_type')).trim() });
    await loadReferrals();
  });

  // Safety plan.
  async function loadPlan() {
    const p = await get(`/victims/${id}/safety-plan`);
    const form = h('form', { class: 'stack', id: 'safety-plan-form' },
      h('p', { class: 'muted small' }, 'Written with the person, in their words. Only advocates serving them can read it.'),
      SECTIONS.map(([k, label]) => field(label, h('textarea', { name: k, rows: '3' }, p.sections?.[k] || ''))),
      field('Review on', h('input', { name: 'review_on', type: 'date', value: p.review_on || '' })),
      h('button', { type: 'submit' }, 'Save plan'),
      p.updated_at ? h('p', { class: 'muted small' }, `Last saved ${when(p.updated_at)}`) : null);
    onSubmit(form, async (d, _f, box) => {
      const sections = {};
      for (const [k] of SECTIONS) {
        const t = String(d.get(k) || '').trim();
        if (t) sections[k] = t;
      }
      await api('PUT', `/victims/${id}/safety-plan`, { sections, review_on: d.get('review_on') || null });
      replace(box, message('success', 'Saved.'));
    });
    replace(boxes.plan, form);
  }

  const section = (sid, title, ...body) => h('section', { class: 'panel', id: sid }, h('h2', {}, title), ...body);
  replace(m,
    h('p', { class: 'muted' }, h('a', { href: '/vault' }, 'Survivors'), ' › ', v.pseudonym),
    h('h1', {}, h('span', { id: 'victim-pseudonym' }, v.pseudonym), id_ ? h('span', { class: 'muted' }, ` — ${id_.preferred_name || id_.full_name}`) : null),
    details,
    section('consents', 'Consents', boxes.consents, manages ? h('details', {}, h('summary', {}, 'Record a consent'), consentForm) : null),
    h('div', { class: 'grid2' },
      section('screenings', 'Screening', boxes.screenings, manages ? screeningForm() : null),
      section('referrals', 'Referrals and services', boxes.referrals, manages && providers.length ? referForm : null)),
    section('safety-plan', 'Safety plan', boxes.plan));
  const load = async (fn, box) => {
    try { await fn(); } catch (err) { replace(box, err.status === 404 || err.status === 403 ? h('p', { class: 'muted' }, 'Not shared with you.') : errorBox(err)); }
  };
  if (consents) await load(() => loadConsents(consents), boxes.consents);
  else replace(boxes.consents, h('p', { class: 'muted' }, 'Not shared with you.'));
  await load(loadScreenings, boxes.screenings);
  await load(loadReferrals, boxes.referrals);
  await load(loadPlan, boxes.plan);
}

start(async (m, me) => {
  const id = pathId('vault');
  if (id) await record(m, me, id);
  else await list(m, me);
});
