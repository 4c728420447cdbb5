// The live boards: polled every second with If-None-Match (304 until a result lands), one tab per
// category, every column sortable and marked higher/lower-is-better, the baseline and reference as
// marked rows, ties and verification as badges, the accuracy/size Pareto scatter.
// Not the computation: the server ranks; this page only sorts what it shows.
'use strict';

const Board = { etag: null, data: null, tab: 'fastest_classifier', sort: null, kind: 'public' };

function cellValue(row, key) {
  const v = row.values ? row.values[key] : undefined;
  return v === undefined ? null : v;
}

function renderCategory(cat) {
  const mine = Arena.me.person ? Arena.me.person.login : null;
  let rows = cat.rows.slice();
  if (Board.sort && Board.sort.cat === cat.id) {
    const { key, dir } = Board.sort;
    rows.sort((a, b) => {
      const x = key === 'name' ? a.name : cellValue(a, key), y = key === 'name' ? b.name : cellValue(b, key);
      if (x === null) return 1; if (y === null) return -1;
      return (x < y ? -1 : x > y ? 1 : 0) * dir;
    });
  }
  const head = el('tr', {}, el('th', {}, '#'),
    el('th', { class: 'name', 'data-key': 'name', onclick: () => sortBy(cat.id, 'name') }, 'entry'),
    ...cat.columns.map((c) => el('th', { 'data-key': c.key, onclick: () => sortBy(cat.id, c.key), title: c.better ? `${c.better} is better` : '' },
      c.label + (c.unit && c.unit !== 'x' && c.unit !== '%' ? ` (${c.unit})` : ''), ' ',
      el('span', { class: 'dir' }, c.better === 'lower' ? '↓ lower is better' : c.better === 'higher' ? '↑ higher is better' : ''))));
  const body = rows.map((r) => {
    const name = el('td', { class: 'name' }, r.name, r.login ? el('span', { class: 'muted' }, ` (${r.login})`) : null);
    if (r.marked) name.appendChild(el('span', { class: 'badge' }, r.marked));
    if (r.tied) name.appendChild(el('span', { class: 'badge warn' }, 'tied'));
    if (r.verified === true) name.appendChild(el('span', { class: 'badge ok' }, 'verified'));
    if (r.verified === false) name.appendChild(el('span', { class: 'badge bad' }, 'not reproduced'));
    const cells = cat.columns.map((c) => {
      let text = fmt(cellValue(r, c.key), c.unit);
      if (c.key === 'speedup' && r.values && r.values.speedup_ci95)
        text += ` [${r.values.speedup_ci95[0].toFixed(2)}, ${r.values.speedup_ci95[1].toFixed(2)}]`;
      if (c.key === 'trainer_reached' && r.values && r.values.trainer_runs) text += ` / ${r.values.trainer_runs}`;
      return el('td', { 'data-key': c.key }, text);
    });
    const cls = r.marked ? 'marked' : (mine && r.login === mine ? 'mine' : null);
    return el('tr', { class: cls, 'data-login': r.login || r.marked }, el('td', {}, r.rank ? String(r.rank) : ''), name, ...cells);
  });
  return el('div', { class: 'table-wrap' }, el('table', { id: 'board-table', 'data-category': cat.id }, head, ...body));
}

function sortBy(cat, key) {
  const dir = Board.sort && Board.sort.cat === cat && Board.sort.key === key ? -Board.sort.dir : 1;
  Board.sort = { cat, key, dir };
  renderBoard();
}

function pareto(points) {
  const W = 600, H = 320, P = 44;
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.setAttribute('class', 'pareto');
  const add = (tag, attrs, text) => {
    const e = document.createElementNS('http://www.w3.org/2000/svg', tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text) e.textContent = text;
    svg.appendChild(e);
    return e;
  };
  if (!points.length) { add('text', { x: P, y: H / 2 }, 'no measured entries yet'); return svg; }
  const xs = points.map((p) => Math.log10(p.model_bytes)), ys = points.map((p) => p.accuracy);
  const x0 = Math.min(...xs) - 0.1, x1 = Math.max(...xs) + 0.1, y0 = Math.min(...ys) - 0.01, y1 = Math.max(...ys) + 0.01;
  const X = (v) => P + (v - x0) / (x1 - x0) * (W - 2 * P), Y = (v) => H - P - (v - y0) / (y1 - y0) * (H - 2 * P);
  add('line', { x1: P, y1: H - P, x2: W - P, y2: H - P, stroke: '#888' });
  add('line', { x1: P, y1: P, x2: P, y2: H - P, stroke: '#888' });
  add('text', { x: W / 2 - 80, y: H - 8 }, 'model size (log scale) ← smaller is better');
  add('text', { x: 4, y: P - 10 }, 'accuracy ↑ higher is better');
  for (const p of points) {
    const c = add('circle', { cx: X(Math.log10(p.model_bytes)), cy: Y(p.accuracy), r: 5 });
    const t = document.createElementNS('http://www.w3.org/2000/svg', 'title');
    t.textContent = `${p.name}: ${fmt(p.accuracy, '%')}, ${fmt(p.model_bytes, 'bytes')}`;
    c.appendChild(t);
  }
  return svg;
}

function renderBoard() {
  const b = Board.data;
  if (!b) return;
  const tabs = el('div', { class: 'tabs' }, ...b.categories.map((c) => el('button', {
    class: c.id === Board.tab ? 'on' : null, 'data-tab': c.id, onclick: () => { Board.tab = c.id; renderBoard(); } }, c.title)),
  el('button', { class: Board.tab === 'most_creative' ? 'on' : null, 'data-tab': 'most_creative', onclick: () => { Board.tab = 'most_creative'; renderBoard(); } }, 'Most creative'));
  let content;
  if (Board.tab === 'most_creative') {
    content = b.most_creative.length
      ? el('ul', {}, ...b.most_creative.map((a) => el('li', {}, el('strong', {}, a.name), ' — ', a.description)))
      : el('p', { class: 'muted' }, 'Awarded by the staff from the methods’ descriptions when the phase closes.');
  } else {
    const cat = b.categories.find((c) => c.id === Board.tab) || b.categories[0];
    content = el('div', {}, renderCategory(cat), cat.id === 'accuracy_size_tradeoff' ? el('div', {}, el('h3', {}, 'Accuracy vs size'), pareto(b.pareto)) : null);
  }
  const age = b.updated_at ? Math.max(0, Date.now() / 1000 - b.updated_at) : null;
  const kinds = el('div', { class: 'tabs' },
    el('button', { class: Board.kind === 'public' ? 'on' : null, onclick: () => switchKind('public') }, 'Public board'),
    el('button', { class: Board.kind === 'final' ? 'on' : null, onclick: () => switchKind('final') }, 'Final board'));
  show(el('div', { class: 'card', id: 'board', 'data-version': String(b.version) },
    kinds,
    el('p', { class: 'muted' }, `Phase: ${b.phase}. Accuracy: ${b.accuracy_split} split. Timings only from ${b.hardware_class || "one hardware class"}. `,
      el('span', { id: 'updated' }, age === null ? 'No results yet.' : `Last result ${Math.round(age)} s ago.`)),
    tabs, content));
}

function switchKind(kind) {
  Board.kind = kind;
  Board.etag = null;
  poll();
}

async function poll() {
  try {
    const headers = Board.etag ? { 'If-None-Match': Board.etag } : {};
    const r = await fetch(`/api/boards/${Board.kind}`, { headers, credentials: 'same-origin' });
    if (r.status === 304) return;
    const body = await r.json();
    if (!r.ok) { show(el('div', { class: 'card' }, el('p', { class: 'error' }, body.error.message)), el('button', { class: 'small', onclick: () => switchKind('public') }, 'back to the public board')); return; }
    Board.etag = r.headers.get('ETag');
    Board.data = body;
    renderBoard();
  } catch (e) { /* the next poll retries */ }
}

Arena.views.board = () => {
  Board.etag = null;
  every(1000, poll);
};
