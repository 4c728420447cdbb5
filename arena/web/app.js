// The page's core: the API client (CSRF header on every post), a tiny element builder that only
// ever sets text (so names and descriptions can never become markup), the router, sign-in and
// the submit page. Not the boards (board.js), the analysis page (entry.js) or staff (staff.js).
'use strict';

const Arena = {
  me: null,          // /api/me
  views: {},         // route name -> function(arg) rendering into #main
  timers: [],        // cleared on every route change
};

// el('td', {class: 'name'}, 'text', child, …): attributes and text only, never innerHTML.
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    e.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
  return e;
}

function show(...nodes) {
  const main = document.getElementById('main');
  main.replaceChildren(...nodes);
}

function toast(msg) {
  const t = document.getElementById('toast');
  t.textContent = msg;
  t.className = 'show';
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.className = ''; }, 4000);
}

// fetch with JSON errors turned into exceptions carrying the server's message.
async function api(path, opts = {}) {
  opts.headers = Object.assign({}, opts.headers || {});
  opts.credentials = 'same-origin';
  if (opts.method && opts.method !== 'GET' && Arena.me && Arena.me.csrf) opts.headers['X-CSRF-Token'] = Arena.me.csrf;
  const r = await fetch(path, opts);
  if (r.status === 304) return { notModified: true, response: r };
  const type = r.headers.get('Content-Type') || '';
  const body = type.includes('application/json') ? await r.json() : await r.text();
  if (!r.ok) {
    const msg = body && body.error ? body.error.message : ('HTTP ' + r.status);
    const err = new Error(msg);
    err.status = r.status;
    throw err;
  }
  return body;
}

function every(ms, fn) {
  fn();
  Arena.timers.push(setInterval(fn, ms));
}

function fmt(v, unit) {
  if (v === null || v === undefined) return '–';
  if (unit === 'bytes') return v >= 1048576 ? (v / 1048576).toFixed(2) + ' MiB' : (v / 1024).toFixed(1) + ' KiB';
  if (unit === '%') return (100 * v).toFixed(2) + ' %';
  if (unit === 'ms') return v < 1 ? v.toFixed(4) : v.toFixed(2);
  if (unit === 'x') return v.toFixed(2) + '×';
  if (unit === 's') return Number.isFinite(v) ? v.toFixed(1) + ' s' : 'never';
  return typeof v === 'number' ? (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(3)) : String(v);
}

function when(t) { return t ? new Date(t * 1000).toLocaleString() : '–'; }

async function refreshMe() {
  Arena.me = await api('/api/me');
  const p = Arena.me.person;
  document.getElementById('title').textContent = Arena.me.competition.title;
  document.getElementById('who').textContent = p ? `Signed in as ${p.name} (${p.login}, ${p.role})` : 'Not signed in: the boards are public.';
  document.getElementById('nav-signin').hidden = !!p;
  document.getElementById('signout').hidden = !p;
  document.getElementById('nav-staff').hidden = !(p && p.role === 'staff');
}

Arena.views.signin = () => {
  const form = el('form', { id: 'signin-form' },
    el('label', { for: 'token' }, 'Your token'),
    el('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off', required: true }),
    el('button', { class: 'primary', type: 'submit' }, 'Sign in'),
    el('p', { class: 'muted' }, 'The token was handed to you by the course staff. It is your only credential; keep it private.'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      const pre = await api('/api/csrf');
      const body = new URLSearchParams({ token: form.token.value, csrf: pre.csrf });
      await api('/api/login', { method: 'POST', body });
      await refreshMe();
      location.hash = '#/submit';
    } catch (e) { toast(e.message); }
  });
  show(el('div', { class: 'card' }, el('h2', {}, 'Sign in'), form));
};

function jobState(job) {
  if (!job) return el('span', {}, '–');
  const s = el('span', { class: 'state-' + job.state, 'data-state': job.state }, job.state);
  if (job.state === 'queued') s.appendChild(document.createTextNode(` (position ${job.position + 1})`));
  if (job.attempt > 1) s.appendChild(el('span', { class: 'badge warn' }, `attempt ${job.attempt}`));
  return s;
}

Arena.views.submit = () => {
  const me = Arena.me;
  if (!me.person) { location.hash = '#/signin'; return; }
  const q = me.quota;
  const form = el('form', { id: 'upload-form' },
    el('p', { id: 'quota' }, `Today (${q.day}, UTC) you have used ${q.used} of ${q.limit} submissions. A job that fails for infrastructure reasons does not count.`),
    el('label', { for: 'archive' }, 'Your modules/ folder as .zip or .tar.gz'),
    el('input', { id: 'archive', name: 'archive', type: 'file', accept: '.zip,.tar.gz,.tgz', required: true }),
    el('p', { class: 'muted' }, `At most ${fmt(me.max_upload_bytes, 'bytes')}. Or from a terminal: tt-grade submit --server ${location.origin} --token YOUR_TOKEN modules/`),
    el('label', { for: 'description' }, 'Your method, in a sentence or two (required; it feeds “most creative”)'),
    el('textarea', { id: 'description', name: 'description', required: true, minlength: 10, maxlength: 2000 }),
    el('button', { class: 'primary', type: 'submit' }, 'Submit'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const data = new FormData(form);
    try {
      const r = await api('/api/submissions', { method: 'POST', body: data });
      toast(`Submitted: job ${r.job_id}, position ${r.position + 1} in the queue`);
      form.reset();
      await refreshMe();
      document.getElementById('quota').textContent = `Today (${Arena.me.quota.day}, UTC) you have used ${Arena.me.quota.used} of ${Arena.me.quota.limit} submissions.`;
      loadMine();
    } catch (e) { toast(e.message); }
  });
  const list = el('div', { id: 'mine' });
  async function loadMine() {
    try {
      const r = await api('/api/submissions');
      const rows = r.submissions.map((s) => el('tr', { 'data-submission': s.id },
        el('td', {}, String(s.id)), el('td', { class: 'name' }, s.description), el('td', {}, when(s.created_at)),
        el('td', { class: 'job' }, jobState(s.job), s.disqualified ? el('span', { class: 'badge bad' }, 'disqualified: ' + s.disqualified) : null),
        el('td', {}, s.job && (s.job.state === 'done' || s.job.state === 'failed')
          ? el('a', { href: `#/entry/${s.id}` }, 'analysis') : ''),
        el('td', {}, s.job ? el('a', { href: `/api/jobs/${s.job.id}/log`, target: '_blank' }, 'log') : '')));
      list.replaceChildren(el('div', { class: 'table-wrap' }, el('table', {},
        el('tr', {}, ...['#', 'method', 'sent', 'job', '', ''].map((h) => el('th', { class: h === 'method' ? 'name' : null }, h))), ...rows)));
    } catch (e) { list.replaceChildren(el('p', { class: 'error' }, e.message)); }
  }
  show(el('div', { class: 'card' }, el('h2', {}, 'Submit an entry'), form), el('div', { class: 'card' }, el('h2', {}, 'Your submissions'), list));
  every(1000, loadMine);
};

async function route() {
  Arena.timers.forEach(clearInterval);
  Arena.timers = [];
  const [, name, arg] = (location.hash || '#/').match(/^#\/([a-z]*)\/?(.*)$/) || [null, '', ''];
  for (const a of document.querySelectorAll('nav a')) a.classList.toggle('active', a.getAttribute('href') === '#/' + name);
  const view = Arena.views[name || 'board'];
  if (view) view(arg); else show(el('p', {}, 'No such page.'));
}

document.addEventListener('DOMContentLoaded', async () => {
  document.getElementById('signout').addEventListener('click', async () => {
    try { await api('/api/logout', { method: 'POST' }); } catch (e) { toast(e.message); }
    await refreshMe();
    location.hash = '#/';
  });
  try { await refreshMe(); } catch (e) { show(el('p', { class: 'error' }, e.message)); return; }
  window.addEventListener('hashchange', route);
  route();
});
