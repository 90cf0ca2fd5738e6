// Headless Chromium from Debian's package, driven by playwright-core (which never
// downloads a browser), and the checks run on every page a flow visits: axe-core,
// no horizontal scrolling on the phone, no console errors (CSP refusals included),
// the page language and the Cache-Control header.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');

export const VIEWPORTS = {
  phone: { name: 'phone', width: 360, height: 740, isMobile: true, hasTouch: true },
  desktop: { name: 'desktop', width: 1366, height: 768, isMobile: false, hasTouch: false },
};

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR || path.join(root, 'docs', 'screenshots');
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
// What axe checks: WCAG 2.0–2.2 A and AA, and its best practices (reported, failing only
// at serious or critical impact like the rest).
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
const FAILING_IMPACTS = new Set(['serious', 'critical']);

/** Launches Chromium, or fails loudly: the suite never passes without a browser. */
export async function launchBrowser() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}: the end-to-end suite cannot run. ` +
        'Install Debian\'s packages `chromium` and `chromium-driver` (.ci/run does when they are missing).',
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // A fresh, temporary profile every launch (playwright's default for launch()).
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/**
 * A browser context at one viewport, and the page checks bound to it. Every
 * `check(page, name)` call records the page in `visited`.
 */
export async function openViewport(browser, viewport, baseURL) {
  const context = await browser.newContext({
    baseURL,
    viewport: { width: viewport.width, height: viewport.height },
    isMobile: viewport.isMobile,
    hasTouch: viewport.hasTouch,
    deviceScaleFactor: 1,
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    acceptDownloads: true,
  });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  const problems = [];
  let lastDocument = null;
  page.on('console', (message) => {
    // A page answered 4xx (a form sent back with its errors) is logged as a failed load:
    // failed loads are judged from the responses below instead.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      problems.push(`console error: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.request().resourceType() === 'document' && response.frame() === page.mainFrame()) {
      lastDocument = response;
    } else if (response.status() >= 400) {
      problems.push(`${response.request().resourceType()} ${response.url()} answered ${response.status()}`);
    }
  });

  const visited = [];

  /**
   * Checks the page as it is now: axe-core (no serious or critical violation),
   * <html lang="vi">, no console error since the last check, Cache-Control: no-store
   * on the page's own answer, and on the phone no horizontal scrolling.
   */
  async function check(name, { axe = true } = {}) {
    visited.push(name);
    const failures = [];
    const where = `${name} (${viewport.name}, ${page.url().replace(baseURL, '')})`;

    const lang = await page.evaluate(() => document.documentElement.lang);
    if (lang !== 'vi') failures.push(`<html lang> is ${JSON.stringify(lang)}, not "vi"`);

    if (lastDocument) {
      const cacheControl = lastDocument.headers()['cache-control'] || '';
      if (!cacheControl.includes('no-store')) {
        failures.push(`the page was sent with Cache-Control ${JSON.stringify(cacheControl)}, without no-store`);
      }
    }

    if (viewport.name === 'phone') {
      const overflow = await page.evaluate((width) => {
        const scrollWidth = document.documentElement.scrollWidth;
        if (scrollWidth <= window.innerWidth && scrollWidth <= width) return null;
        const culprits = [];
        for (const element of document.body.querySelectorAll('*')) {
          const box = element.getBoundingClientRect();
          if (box.right > width + 0.5 && box.width > 0) {
            const id = element.id ? `#${element.id}` : '';
            const cls = element.className && typeof element.className === 'string' ? `.${element.className.trim().split(/\s+/).join('.')}` : '';
            culprits.push(`${element.tagName.toLowerCase()}${id}${cls} right=${Math.round(box.right)}`);
            if (culprits.length >= 8) break;
          }
        }
        return { scrollWidth, innerWidth: window.innerWidth, culprits };
      }, viewport.width);
      if (overflow) {
        failures.push(
          `horizontal scrolling: scrollWidth ${overflow.scrollWidth} > innerWidth ${overflow.innerWidth}; ` +
            `wider than the screen: ${overflow.culprits.join(', ')}`,
        );
      }
    }

    if (axe) {
      const violations = await runAxe(page);
      const serious = violations.filter((v) => FAILING_IMPACTS.has(v.impact));
      if (serious.length > 0) failures.push(`axe-core found ${serious.length} serious or critical violation(s):\n${formatViolations(serious)}`);
      const minor = violations.filter((v) => !FAILING_IMPACTS.has(v.impact));
      if (minor.length > 0 && process.env.E2E_VERBOSE) {
        console.log(`axe notes on ${where}:\n${formatViolations(minor)}`);
      }
    }

    if (problems.length > 0) failures.push(...problems.splice(0));

    if (failures.length > 0) {
      assert.fail(`${where}:\n- ${failures.join('\n- ')}`);
    }
  }

  /** Saves docs/screenshots/NAME-VIEWPORT.png: the full page, at most maxHeight tall. */
  async function screenshot(name, { maxHeight = viewport.name === 'phone' ? 2400 : 1240 } = {}) {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    const file = path.join(SCREENSHOT_DIR, `${name}-${viewport.name}.png`);
    await page.screenshot({
      path: file,
      fullPage: true,
      clip: { x: 0, y: 0, width: viewport.width, height: Math.min(height, maxHeight) },
      animations: 'disabled',
    });
    return file;
  }

  return { context, page, viewport, check, screenshot, visited, lastDocument: () => lastDocument };
}

/** Runs axe-core in the page; the source is evaluated through the DevTools protocol,
 * which the page's Content-Security-Policy (script-src 'none') does not apply to. */
export async function runAxe(page) {
  const loaded = await page.evaluate(() => typeof window.axe === 'object');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary, html: n.html.slice(0, 200) })),
    }));
  }, AXE_TAGS);
}

export function formatViolations(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 6)
        .map((n) => `      at ${n.target}\n         ${n.html}\n         ${(n.summary || '').replace(/\n/g, '\n         ')}`)
        .join('\n');
      const more = v.nodes.length > 6 ? `\n      … and ${v.nodes.length - 6} more` : '';
      return `  [${v.impact}] ${v.id}: ${v.help}\n${nodes}${more}`;
    })
    .join('\n');
}

/**
 * Presses Tab through the first `count` stops and checks each focused element shows
 * a focus indicator a person can see: an outline at least 2 px wide whose colour has
 * 3:1 contrast with the background around it (WCAG 1.4.11), or a box shadow.
 * Returns what failed, e.g. ['a "Tổng hợp": outline contrast 1.2:1'].
 */
export async function checkFocusVisible(page, count = 8) {
  await page.evaluate(() => {
    document.activeElement?.blur?.();
    window.scrollTo(0, 0);
  });
  const missing = [];
  for (let i = 0; i < count; i += 1) {
    await page.keyboard.press('Tab');
    const seen = await page.evaluate(() => {
      const element = document.activeElement;
      if (!element || element === document.body) return null;
      const rgb = (color) => (color.match(/[\d.]+/g) || []).map(Number);
      const luminance = ([r, g, b]) => {
        const channel = (c) => { const v = c / 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
        return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
      };
      // The outline is drawn outside the element: the background it sits on is the
      // first opaque background among the element's ancestors.
      let around = [255, 255, 255];
      for (let node = element.parentElement; node; node = node.parentElement) {
        const background = rgb(getComputedStyle(node).backgroundColor);
        if (background.length >= 3 && (background.length === 3 || background[3] > 0.5)) { around = background.slice(0, 3); break; }
      }
      const style = getComputedStyle(element);
      const text = (element.innerText || element.value || element.getAttribute('aria-label') || element.id || '').trim().slice(0, 40);
      const what = `${element.tagName.toLowerCase()} "${text}"`;
      if (style.boxShadow && style.boxShadow !== 'none') return null;
      if (style.outlineStyle === 'none' || parseFloat(style.outlineWidth) < 2) return `${what}: no outline`;
      const [a, b] = [luminance(rgb(style.outlineColor)), luminance(around)];
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      return ratio >= 3 ? null : `${what}: focus outline ${style.outlineColor} on ${around.join(',')} has contrast ${ratio.toFixed(1)}:1`;
    });
    if (seen) missing.push(seen);
  }
  return missing;
}

/** "6.012.500.000 đ" or "94" → the whole number it shows. */
export function wholeNumber(text) {
  const digits = String(text).replace(/[^0-9]/g, '');
  assert.ok(digits.length > 0, `no number in ${JSON.stringify(text)}`);
  return Number(digits);
}
