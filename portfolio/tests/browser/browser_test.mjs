// A portfolio site and the class showcase in Debian's Chromium (playwright-core, no download):
// the badges and charts are there, no request leaves the machine, no script of the student runs.
// Not started by hand: browser_test.py renders the fixture and passes SITE_DIR SHOWCASE_DIR [SHOTS_DIR].
import { createRequire } from 'module';
import path from 'path';

const require = createRequire(path.join(process.env.PLAYWRIGHT_NODE_MODULES, 'x.js'));
const { chromium } = require('playwright-core');
const [site, showcase, shots] = process.argv.slice(2);
const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-sync'];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: flags });
const fail = async (msg) => { console.log('FAILED: ' + msg); await browser.close(); process.exit(1); };
const step = (msg) => console.log('browser test: ' + msg);

try {
  const ctx = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  const offMachine = [];
  await ctx.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file://')) return route.continue();
    offMachine.push(url);
    return route.abort();
  });
  const page = await ctx.newPage();
  const open = async (file) => {
    await page.goto('file://' + path.join(site, file));
    if (await page.evaluate(() => window.__xss)) await fail(file + ': a script of the write-up ran');
  };

  await open('index.html');
  if (!/1 stale|0 stale/.test(await page.textContent('body'))) await fail('index has no citation totals');
  if (shots) await page.screenshot({ path: path.join(shots, 'portfolio-index.png'), fullPage: true });

  await open('16.html');
  const verified = await page.locator('.cite.verified').count();
  if (verified !== 2) await fail('16.html: expected 2 verified badges, found ' + verified);
  const warnings = await page.textContent('.warnings');
  for (const w of ['contradicts a measurement', 'embedded HTML removed', 'another host'])
    if (!warnings.includes(w)) await fail('16.html: no warning "' + w + '"');
  step('16.html: 2 verified badges, warnings shown');
  if (shots) await page.screenshot({ path: path.join(shots, 'portfolio-post.png'), fullPage: true });

  await open('measurements.html');
  const charts = await page.locator('svg.chart').count();
  const whiskers = await page.locator('svg.chart g.ci').count();
  if (charts < 2 || whiskers !== 3) await fail(`measurements.html: ${charts} charts, ${whiskers} CI whiskers`);
  const box = await page.locator('svg.chart rect.bar').first().boundingBox();
  if (!box || box.width <= 0) await fail('the chart bars are not drawn');
  step(`measurements.html: ${charts} charts, ${whiskers} confidence intervals`);
  if (shots) await page.screenshot({ path: path.join(shots, 'portfolio-measurements.png'), fullPage: true });

  await page.goto('file://' + path.join(showcase, 'index.html'));
  const body = await page.textContent('body');
  if (!body.includes('Ada L.') || body.includes('Bob B.')) await fail('the showcase lists the wrong students');
  await page.click('text=Ada L.');
  await page.waitForSelector('.cite, table');
  step('showcase: Ada listed and linked, Bob private');
  if (shots) {
    await page.goto('file://' + path.join(showcase, 'index.html'));
    await page.screenshot({ path: path.join(shots, 'portfolio-showcase.png') });
  }
  if (offMachine.length) await fail('requests off the machine: ' + offMachine.join(', '));
  step('no request left the machine');
  await browser.close();
} catch (e) {
  await fail(String(e && e.stack || e));
}
