// The analysis page of one graded entry: its numbers against the baseline and the targets, module
// 19's profile of its forward pass (time breakdown, roofline position) and the suggestions.
// Not a report viewer: the full report.json is one link away.
'use strict';

Arena.views.entry = async (id) => {
  if (!Arena.me.person) { location.hash = '#/signin'; return; }
  try {
    const a = await api(`/api/submissions/${encodeURIComponent(id)}/analysis`);
    const m = a.metrics, r = m.results || {};
    const comps = el('table', {}, el('tr', {}, ...['measure', 'entry', 'baseline', 'target', ''].map((h) => el('th', {}, h))),
      ...a.comparisons.map((c) => el('tr', {}, el('td', { class: 'name' }, c.label, el('span', { class: 'dir muted' }, c.better === 'higher' ? ' ↑' : ' ↓')),
        el('td', {}, fmt(c.entry)), el('td', {}, fmt(c.baseline)), el('td', {}, fmt(c.target)),
        el('td', {}, el('span', { class: c.met ? 'badge ok' : 'badge warn' }, c.met ? 'target met' : 'below target')))));
    const nums = el('table', {}, ...[['p50 latency', r.latency_p50_ms, 'ms'], ['p90 latency', r.latency_p90_ms, 'ms'],
      ['accuracy (hidden split)', r.accuracy, '%'], ['baseline accuracy', r.baseline_accuracy, '%'], ['model size', r.model_bytes, 'bytes'],
      ['generation tokens/s', r.generation_tokens_per_s, ''], ['generation peak memory', r.generation_peak_bytes, 'bytes']]
      .map(([k, v, u]) => el('tr', {}, el('td', { class: 'name' }, k), el('td', {}, fmt(v, u)))));
    const vs = m.vs_reference;
    const timing = vs ? el('p', {}, `Speedup vs the reference entry (same job, interleaved, ${vs.rounds} rounds, olympic mean): ${fmt(vs.speedup, 'x')}` +
      (vs.speedup_ci95 ? `, 95 % interval [${vs.speedup_ci95[0].toFixed(2)}, ${vs.speedup_ci95[1].toFixed(2)}]` : ''))
      : el('p', { class: 'muted' }, 'Speedup vs the reference entry: not measured by this harness.');
    const ac = m.anti_caching;
    const caching = ac ? el('p', {}, `Anti-caching check: repeated input ${fmt(ac.repeated_p50_ms, 'ms')} ms vs distinct ${fmt(ac.distinct_p50_ms, 'ms')} ms `,
      el('span', { class: ac.suspicious ? 'badge bad' : 'badge ok' }, ac.suspicious ? 'suspicious' : 'ok')) : el('p', { class: 'muted' }, 'Anti-caching check: not measured.');
    let profile;
    if (typeof a.profile === 'string') profile = el('p', { class: 'muted', id: 'profile' }, 'Profile: not measured.');
    else {
      const br = (a.profile.breakdown || []).map((b) => el('tr', {}, el('td', { class: 'name' }, String(b.op)),
        el('td', {}, el('span', { class: 'bar', 'data-share': String(b.share) }), ` ${fmt(b.share, '%')}`)));
      profile = el('div', { id: 'profile' }, el('table', {}, el('tr', {}, el('th', { class: 'name' }, 'op'), el('th', {}, 'share of the forward pass')), ...br),
        el('p', {}, `GEMM at ${fmt(a.profile.gemm_fraction_of_peak, '%')} of this machine's peak (roofline); weights ${a.profile.weights_dtype || '?'}; generation ${a.profile.cached_generation ? 'cached' : 'not cached'}.`));
      for (const bar of profile.querySelectorAll('.bar')) bar.style.width = (200 * Number(bar.dataset.share)) + 'px';
    }
    const sugg = a.suggestions.length ? el('ul', { class: 'suggestions', id: 'suggestions' }, ...a.suggestions.map((s) => el('li', {}, s.message)))
      : el('p', { id: 'suggestions' }, 'No suggestions: every rule is satisfied.');
    show(el('div', { class: 'card' }, el('h2', {}, `Entry ${a.submission_id}`), el('p', { class: 'muted' }, a.description),
      el('p', { class: 'muted' }, `Measured on ${a.hardware.cpu} (${a.hardware.isa}) by ${a.hardware.worker}. `,
        a.verified === true ? el('span', { class: 'badge ok' }, 'verified') : a.verified === false ? el('span', { class: 'badge bad' }, 'not reproduced') : null),
      el('a', { href: `/api/submissions/${a.submission_id}/report`, target: '_blank' }, 'report.json'), ' · ',
      el('a', { href: `/api/submissions/${a.submission_id}/report?format=md`, target: '_blank' }, 'summary')),
    el('div', { class: 'card' }, el('h3', {}, 'Against the baseline and the targets'), comps, timing, caching, nums),
    el('div', { class: 'card' }, el('h3', {}, 'Profile of the forward pass (module 19)'), profile),
    el('div', { class: 'card' }, el('h3', {}, 'Suggestions'), sugg));
  } catch (e) { show(el('div', { class: 'card' }, el('p', { class: 'error' }, e.message))); }
};
