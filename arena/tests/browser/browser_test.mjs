// The arena in a real browser (Debian's Chromium driven by playwright-core, no browser download):
// sign in, upload a submission, watch the job progress, see the board update live in a second
// page that never reloads, sort a column, open the analysis page, find the entry in the class
// showcase and open its portfolio site (no request leaves the machine); screenshots for the README.
// Not started by hand: browser_test.py starts a server and passes: URL TOKEN ARCHIVE OUT_DIR.
import { chromium } from 'playwright-core';

const [url, token, archive, out] = process.argv.slice(2);
const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-sync'];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: flags });
const fail = async (msg) => { console.log('FAILED: ' + msg); await browser.close(); process.exit(1); };
const step = (msg) => console.log('browser test: ' + msg);

try {
  const ctx = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  // A viewer that stays on the board from the start: it must update without a reload.
  const viewer = await ctx.newPage();
  await viewer.goto(url + '/#/');
  await viewer.waitForSelector('#board');
  await viewer.evaluate(() => { window.__neverReloaded = true; });
  const rowsBefore = await viewer.locator('#board-table tr[data-login="alice"]').count();
  if (rowsBefore !== 0) await fail('alice is on the board before she submitted');

  const page = await ctx.newPage();
  await page.goto(url + '/#/signin');
  await page.fill('#token', token);
  await page.click('#signin-form button[type=submit]');
  await page.waitForSelector('#upload-form');
  step('signed in; ' + (await page.textContent('#who')));
  const quota = await page.textContent('#quota');
  if (!/used 0 of 5/.test(quota)) await fail('quota line: ' + quota);

  const evil = 'KV cache + int8 <img src=x onerror="window.__xss=1"> & pruning';
  await page.setInputFiles('#archive', archive);
  await page.fill('#description', evil);
  await page.click('#upload-form button[type=submit]');
  await page.waitForSelector('#mine [data-state="queued"], #mine [data-state="running"]', { timeout: 10000 });
  step('job visible while ' + (await page.textContent('#mine td.job')));
  await page.waitForSelector('#mine [data-state="running"], #mine [data-state="done"]', { timeout: 30000 });
  await page.waitForSelector('#mine [data-state="done"]', { timeout: 60000 });
  const tDone = Date.now();
  step('job done');
  if (!(await page.textContent('#quota')).includes('used 1 of 5')) await fail('quota did not count the upload');
  if (await page.evaluate(() => window.__xss)) await fail('the description ran as markup');
  if (!(await page.textContent('#mine')).includes('<img src=x')) await fail('the description is not shown as text');

  // The viewer page sees alice within 2 s of the job ending, without a reload.
  await viewer.waitForSelector('#board-table tr[data-login="alice"]', { timeout: 4000 });
  const lag = (Date.now() - tDone) / 1000;
  if (!(await viewer.evaluate(() => window.__neverReloaded))) await fail('the board page reloaded');
  step(`board updated live in the other page ${lag.toFixed(1)} s after the job ended`);
  if (lag > 2.5) await fail('the board took ' + lag + ' s');

  // Sort by p90 latency: ascending, then descending.
  const column = async () => (await viewer.locator('#board-table tr:not(.marked) td[data-key="latency_p90_ms"]').allTextContents())
    .map(Number).filter((x) => !Number.isNaN(x));
  await viewer.click('#board-table th[data-key="latency_p90_ms"]');
  let v = await column();
  if (v.length < 2 || v.some((x, i) => i && x < v[i - 1])) await fail('ascending sort: ' + v);
  await viewer.click('#board-table th[data-key="latency_p90_ms"]');
  v = await column();
  if (v.some((x, i) => i && x > v[i - 1])) await fail('descending sort: ' + v);
  step('sorted by p90 both ways: ' + v.join(', '));
  const dirs = await viewer.locator('#board-table th .dir').allTextContents();
  if (!dirs.some((d) => d.includes('lower is better')) || !dirs.some((d) => d.includes('higher is better'))) await fail('better-direction labels');
  await viewer.click('#board-table th[data-key="latency_p50_ms"]');
  await viewer.screenshot({ path: out + '/arena-board.png', fullPage: true });

  // The analysis page.
  await page.click('#mine a[href^="#/entry/"]');
  await page.waitForSelector('#suggestions');
  const sugg = await page.textContent('#suggestions');
  if (!sugg.includes('module 16') || !sugg.includes('module 17')) await fail('suggestions: ' + sugg);
  step('analysis page: ' + sugg.slice(0, 120));
  await page.screenshot({ path: out + '/arena-entry.png', fullPage: true });

  // The showcase: alice opted in (portfolio/consent in her archive); her site opens with no script
  // and nothing fetched off the machine.
  await page.goto(url + '/#/showcase');
  await page.waitForSelector('#showcase a');
  if (!(await page.textContent('#showcase')).includes('Ada L.')) await fail('showcase: ' + await page.textContent('#showcase'));
  await page.screenshot({ path: out + '/arena-showcase.png', fullPage: true });
  const site = await ctx.newPage();
  const offMachine = [];
  site.on('request', (r) => { if (!r.url().startsWith(url) && !r.url().startsWith('data:')) offMachine.push(r.url()); });
  await site.goto(url + await page.getAttribute('#showcase a', 'href'));
  if (!(await site.textContent('h1')).includes('Ada L.')) await fail('the site did not open');
  if (offMachine.length) await fail('the site fetched ' + offMachine.join(', '));
  await site.waitForFunction(() => document.getElementById('roofline').complete);
  if (!(await site.evaluate(() => document.getElementById('roofline').naturalWidth > 0))) await fail('the site\'s chart did not load');
  step('showcase lists Ada L.; her site opened with no off-machine request');

  // A phone.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
  const p = await phone.newPage();
  await p.goto(url + '/#/');
  await p.waitForSelector('#board-table tr[data-login="alice"]');
  await p.screenshot({ path: out + '/arena-phone.png', fullPage: true });
  await browser.close();
  console.log('1 passed, 0 failed');
} catch (e) {
  await fail(e.stack || String(e));
}
