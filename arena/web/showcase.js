// The class showcase: students who opted in to publishing their portfolio, with the capstone
// numbers the arena measured and a link to their site. Not a board: listed by name, ranked by nobody.
'use strict';

Arena.views.showcase = async () => {
  try {
    const s = await api('/api/showcase');
    const head = el('tr', {}, ...['student', 'speedup', 'p50 latency (ms)', 'accuracy', 'model size', 'verified citations']
      .map((h) => el('th', {}, h)));
    const rows = s.entries.map((e) => el('tr', {},
      el('td', { class: 'name' }, e.site ? el('a', { href: e.site, target: '_blank', rel: 'noopener' }, e.name) : e.name),
      el('td', {}, e.speedup === null ? '–' : `${fmt(e.speedup, 'x')} vs ${e.speedup_against}`),
      el('td', {}, fmt(e.latency_p50_ms, 'ms')), el('td', {}, fmt(e.accuracy, '%')),
      el('td', {}, fmt(e.model_bytes, 'bytes')), el('td', {}, e.verified_citations === null ? '–' : String(e.verified_citations))));
    show(el('div', { class: 'card' }, el('h2', {}, 'Class showcase'),
      el('p', { class: 'muted' }, 'Students whose latest graded entry says portfolio/consent: public. Numbers are the arena\'s own measurements; the write-ups are the students\' (rendered without any script).'),
      s.entries.length ? el('table', { id: 'showcase' }, head, ...rows) : el('p', { id: 'showcase' }, 'Nobody has published a portfolio yet.')));
  } catch (e) { show(el('div', { class: 'card' }, el('p', { class: 'error' }, e.message))); }
};
