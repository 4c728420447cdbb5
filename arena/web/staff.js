// The staff page: workers and their heartbeats, the queue with cancel and re-run, methods'
// descriptions with disqualify and the "most creative" award, and closing the phase.
// Not a student view: every action here is refused by the server for anyone but staff.
'use strict';

async function staffAction(path, body) {
  try {
    await api(path, { method: 'POST', body: body ? new URLSearchParams(body) : undefined });
    toast('done');
  } catch (e) { toast(e.message); }
}

Arena.views.staff = () => {
  if (!Arena.me.person || Arena.me.person.role !== 'staff') { show(el('p', {}, 'Staff only.')); return; }
  const workers = el('div'), jobs = el('div'), subs = el('div');
  const close = el('button', { class: 'primary', id: 'close-phase', onclick: () => {
    if (confirm('Close the phase? The top 5 of each board are re-measured, then the final board is revealed.')) staffAction('/api/staff/phase/close');
  } }, 'Close the phase');
  async function load() {
    try {
      const o = await api('/api/staff/overview');
      close.disabled = o.phase !== 'public';
      workers.replaceChildren(el('table', {}, el('tr', {}, ...['worker', 'state', 'job', 'cpu', 'isa', 'heartbeat'].map((h) => el('th', {}, h))),
        ...o.workers.map((w) => el('tr', {}, el('td', {}, w.id), el('td', {}, w.state), el('td', {}, w.job_id === null ? '' : String(w.job_id)),
          el('td', { class: 'name' }, w.cpu), el('td', { class: 'name' }, w.isa), el('td', {}, `${Math.round(w.seconds_since_heartbeat)} s ago`)))));
      jobs.replaceChildren(el('div', { class: 'table-wrap' }, el('table', {}, el('tr', {}, ...['job', 'who', 'kind', 'state', 'attempt', 'worker', 'error', ''].map((h) => el('th', {}, h))),
        ...o.jobs.map((j) => el('tr', {}, el('td', {}, String(j.id)), el('td', {}, j.login), el('td', {}, j.kind), el('td', { class: 'state-' + j.state }, j.state),
          el('td', {}, String(j.attempt)), el('td', {}, j.worker || ''), el('td', { class: 'name' }, j.error || ''),
          el('td', {}, j.state === 'queued' || j.state === 'running' ? el('button', { class: 'small', onclick: () => staffAction(`/api/staff/jobs/${j.id}/cancel`) }, 'cancel') : '',
            el('button', { class: 'small', onclick: () => staffAction(`/api/staff/submissions/${j.submission_id}/rerun`) }, 're-run')))))));
    } catch (e) { workers.replaceChildren(el('p', { class: 'error' }, e.message)); }
  }
  async function loadSubs() {
    try {
      const r = await api('/api/submissions?all=1');
      subs.replaceChildren(el('div', { class: 'table-wrap' }, el('table', {}, el('tr', {}, ...['#', 'who', 'method', ''].map((h) => el('th', {}, h))),
        ...r.submissions.map((s) => el('tr', {}, el('td', {}, String(s.id)), el('td', {}, s.name), el('td', { class: 'name' }, s.description),
          el('td', {}, el('button', { class: 'small', onclick: () => staffAction(`/api/staff/submissions/${s.id}/award`) }, 'most creative'),
            el('button', { class: 'small', onclick: () => { const why = prompt('Reason (the student sees it)'); if (why) staffAction(`/api/staff/submissions/${s.id}/disqualify`, { reason: why }); } }, 'disqualify')))))));
    } catch (e) { subs.replaceChildren(el('p', { class: 'error' }, e.message)); }
  }
  show(el('div', { class: 'card' }, el('h2', {}, 'Phase'), close),
    el('div', { class: 'card' }, el('h2', {}, 'Workers'), workers),
    el('div', { class: 'card' }, el('h2', {}, 'Queue'), jobs),
    el('div', { class: 'card' }, el('h2', {}, 'Methods (most creative; only verified entries can be awarded)'), subs));
  every(2000, load);
  loadSubs();
};
