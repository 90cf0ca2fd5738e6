// What a person does with the pages: sign in and out, follow a link, send a form,
// read a figure. Every step that lands on a page checks it (see browser.mjs).
import assert from 'node:assert/strict';
import { DEMO_PASSWORD } from './app.mjs';
import { wholeNumber } from './browser.mjs';

/** Clicks something that loads a new page and waits for that page. */
export async function follow(page, locator) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), locator.click()]);
}

/** The text a person reads in <main>, with runs of white space made single. */
export async function mainText(page) {
  return (await page.locator('main').innerText()).replace(/\s+/g, ' ');
}

/**
 * Opens the header's "Menu" when it is shown closed (a phone); on a wide screen the
 * links stand in the bar already. Every step that uses the header goes through here.
 */
export async function openMenu(page) {
  const menu = page.locator('details[data-menu]');
  if ((await menu.count()) === 0) return;
  const summary = menu.locator(':scope > summary');
  if ((await summary.isVisible()) && !(await menu.evaluate((details) => details.open))) {
    await summary.click();
    assert.ok(await menu.evaluate((details) => details.open), 'the Menu did not open');
  }
}

/** Something in the header's menu, by role and name (a link by default), the menu opened first. */
export async function inMenu(page, name, role = 'link') {
  await openMenu(page);
  return page.locator('details[data-menu]').getByRole(role, { name });
}

/** Follows a link of the main navigation, opening the menu on a phone. */
export async function followMenu(page, name) {
  await openMenu(page);
  await follow(page, page.getByRole('navigation', { name: 'Chức năng chính' }).getByRole('link', { name }));
}

export async function assertShows(page, ...texts) {
  const text = await mainText(page);
  for (const expected of texts) {
    assert.ok(text.includes(expected), `${page.url()} does not show ${JSON.stringify(expected)}; it shows:\n${text.slice(0, 1500)}`);
  }
}

export function path(page) {
  const url = new URL(page.url());
  return url.pathname + url.search;
}

export async function signIn(v, username, { password = DEMO_PASSWORD, name = 'sign-in' } = {}) {
  const { page } = v;
  await page.goto('/login');
  if (new URL(page.url()).pathname !== '/login') throw new Error(`someone is signed in already at ${page.url()}`);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(password);
  await follow(page, page.getByRole('button', { name: 'Đăng nhập' }));
  // A secretary lands on their to-do page ("Việc cần làm"), the others on the dashboard.
  const landing = new URL(page.url()).pathname;
  assert.ok(['/home', '/dashboard'].includes(landing), `signing in as ${username} led to ${page.url()}, neither the to-do page nor the dashboard`);
  if (landing === '/home') assert.match(await page.locator('h1').innerText(), /^Việc cần làm năm \d{4}$/);
  // In the menu, which stays closed on a phone.
  assert.equal(await page.getByRole('button', { name: 'Đăng xuất', includeHidden: true }).count(), 1, 'no sign-out button after signing in');
  await v.check(`${landing === '/home' ? 'to-do page' : 'dashboard'} after ${name} as ${username}`);
}

export async function signOut(v) {
  const { page } = v;
  await follow(page, await inMenu(page, 'Đăng xuất', 'button'));
  assert.equal(new URL(page.url()).pathname, '/login', `signing out led to ${page.url()}, not the sign-in page`);
  assert.equal(await page.getByRole('button', { name: 'Đăng xuất' }).count(), 0, 'the sign-out button is still there after signing out');
}

/** The dashboard's figures as the person reads them: { registered: "94", … }. */
export async function figures(page) {
  return page.evaluate(() => {
    const found = {};
    for (const element of document.querySelectorAll('[data-figure]')) {
      found[element.dataset.figure] = element.textContent.replace(/\s+/g, ' ').trim();
    }
    return found;
  });
}

/** The same as whole numbers, for the figures that are counts or money. */
export async function counts(page) {
  const shown = await figures(page);
  const numbers = {};
  for (const key of ['registered', 'completed', 'in_progress', 'cancelled', 'awaiting_approval', 'awaiting_acceptance', 'actual_value', 'estimated_cost']) {
    if (key in shown) numbers[key] = wholeNumber(shown[key]);
  }
  return numbers;
}

/** Opens the dashboard for a year through the year picker, as a person would. */
export async function dashboardForYear(v, year) {
  const { page } = v;
  await followMenu(page, 'Tổng hợp');
  await page.locator('form.year-picker').getByLabel('Năm').selectOption(String(year));
  await follow(page, page.locator('form.year-picker').getByRole('button', { name: 'Xem' }));
  assert.ok((await page.locator('h1').innerText()).includes(`năm ${year}`), `the dashboard does not show the year ${year}`);
}

/** The year of today in Viet Nam (UTC+7), the server's "today" for completion dates. */
export function yearInVietnam() {
  return new Date(Date.now() + 7 * 3600 * 1000).getUTCFullYear();
}

/** The field wrapper of an input: its label, hint, error and the input itself. */
export function fieldOf(page, id) {
  return page.locator('.field', { has: page.locator(`[id="${id}"]`) });
}

/** Asserts the error message sits beside the field (inside its wrapper, linked to the input). */
export async function assertFieldError(page, id, message) {
  const error = page.locator(`[id="error-${id}"]`);
  assert.equal(await error.count(), 1, `no error message for ${id}`);
  assert.equal((await error.innerText()).trim(), message, `the message beside ${id}`);
  assert.ok(await error.isVisible(), `the message beside ${id} is not visible`);
  assert.equal(await fieldOf(page, id).locator(`[id="error-${id}"]`).count(), 1, `the message for ${id} is not beside its field`);
  const input = page.locator(`[id="${id}"]`);
  assert.equal(await input.getAttribute('aria-invalid'), 'true', `${id} is not marked aria-invalid`);
  const describedBy = (await input.getAttribute('aria-describedby')) || '';
  assert.ok(describedBy.split(/\s+/).includes(`error-${id}`), `${id} is not described by its error (aria-describedby="${describedBy}")`);
  // The message is next to the field on the screen, not somewhere else on the page.
  const [errorBox, inputBox] = [await error.boundingBox(), await input.boundingBox()];
  assert.ok(errorBox && inputBox && Math.abs(inputBox.y - (errorBox.y + errorBox.height)) < 60, `the message for ${id} is not right above its input`);
}

/**
 * Asserts the error summary is at the top of the main content, above the form, and
 * lists each message with a link to its field.
 */
export async function assertErrorSummary(page, form, expected) {
  const summary = page.locator('.error-summary');
  assert.equal(await summary.count(), 1, 'no error summary');
  assert.ok(await summary.isVisible(), 'the error summary is hidden');
  assert.equal(await summary.getAttribute('role'), 'alert');
  const [summaryBox, formBox] = [await summary.boundingBox(), await form.boundingBox()];
  assert.ok(summaryBox.y < formBox.y, 'the error summary is not above the form');
  const links = await summary.locator('a').evaluateAll((anchors) => anchors.map((a) => ({ href: a.getAttribute('href'), text: a.textContent.trim() })));
  for (const [id, message] of Object.entries(expected)) {
    const link = links.find((l) => l.href === `#${id}`);
    assert.ok(link, `the error summary has no link to #${id}: ${JSON.stringify(links)}`);
    assert.equal(link.text, message, `the summary's message for ${id}`);
    assert.equal(await page.locator(`[id="${id}"]`).count(), 1, `the summary links to #${id}, which is not on the page`);
  }
  assert.equal(links.length, Object.keys(expected).length, `the summary lists other errors too: ${JSON.stringify(links)}`);
}
