// The flows, in the order a year goes: each is one test, run at one viewport by
// suite.mjs, sharing `s` (the app, the page, what earlier flows made). A new flow is
// one more entry in FLOWS (or EXPORT_FLOWS in exports.mjs); SIGN_OUT comes last.
import assert from 'node:assert/strict';
import { DEMO_PASSWORD } from './app.mjs';
import { checkFocusVisible } from './browser.mjs';
import { evidencePng } from './evidence.mjs';
import {
  assertErrorSummary,
  assertFieldError,
  assertShows,
  counts,
  dashboardForYear,
  figures,
  follow,
  followMenu,
  inMenu,
  mainText,
  openMenu,
  path,
  signIn,
  signOut,
  yearInVietnam,
} from './steps.mjs';

export const REVIEWER = 'khoi';
export const BLOC = 'Đảng ủy Khối các cơ quan tỉnh';

/** Which secretary registers at which viewport (both units sit under the bloc). */
export const SECRETARIES = {
  phone: { username: 'syt', unit: 'Đảng bộ Sở Y tế', code: 'SYT' },
  desktop: { username: 'stc', unit: 'Đảng bộ Sở Tài chính', code: 'STC' },
};

const COST_ERROR = 'Số tiền phải là số nguyên đồng, không âm, ví dụ 6.000.000.';
const DUE_ERROR = 'Ngày dự kiến hoàn thành không được trước ngày bắt đầu.';
const FILES_ERROR = 'Báo cáo hoàn thành cần ít nhất một tệp minh chứng (ảnh, biên bản, tài liệu).';
const ACTUAL_VALUE = 12_500_000;

export function newState(viewportName) {
  const year = yearInVietnam();
  return {
    year,
    secretary: SECRETARIES[viewportName],
    title: `Một cửa điện tử không giấy tờ (${viewportName}) ${year}`,
    start: startDate(viewportName, year),
  };
}

/**
 * The start date the secretary types, and reports completion on: on the phone as a
 * number pad types it, digits alone ("15022026"). 15 February, or 1 January before that
 * day of the year, since a completion date may not lie after today.
 */
function startDate(viewportName, year) {
  const today = new Date(Date.now() + 7 * 3600 * 1000);
  const [day, month] = today.getUTCMonth() > 1 || (today.getUTCMonth() === 1 && today.getUTCDate() >= 15) ? ['15', '02'] : ['01', '01'];
  const typed = viewportName === 'phone' ? `${day}${month}${year}` : `${day}-${month}-${year}`;
  return { typed, shown: `${day}/${month}/${year}` };
}

/** What a secretary types into every date field: digits alone on the phone. */
function dateAsTyped(s, day, month) {
  return s.v.viewport.name === 'phone' ? `${day}${month}${s.year}` : `${day}/${month}/${s.year}`;
}

/** The viewport's secretary, signed in in a browser of their own while the reviewer works on s.v. */
async function secretaryElsewhere(s) {
  const context = await s.browser.newContext({
    baseURL: s.app.url,
    viewport: { width: s.v.viewport.width, height: s.v.viewport.height },
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
  });
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel('Tên đăng nhập').fill(s.secretary.username);
  await page.getByLabel('Mật khẩu').fill(DEMO_PASSWORD);
  await follow(page, page.getByRole('button', { name: 'Đăng nhập' }));
  assert.equal(path(page), '/home', `${s.secretary.username} did not sign in in the second browser`);
  return { page, close: () => context.close() };
}

/** Fills the registration form (on /initiatives/new) for this year and sends it. */
async function sendRegistration(page, s, { title, kind, field, description, start, due, cost }) {
  await page.getByLabel('Tên mô hình, công trình').fill(title);
  await page.getByRole('combobox', { name: 'Loại', exact: true }).selectOption({ label: kind });
  await page.getByLabel('Lĩnh vực').selectOption({ label: field });
  await page.getByLabel('Đơn vị đăng ký').selectOption({ label: s.secretary.unit });
  await page.getByRole('textbox', { name: 'Năm', exact: true }).fill(String(s.year));
  await page.getByLabel('Mô tả').fill(description);
  await page.getByLabel('Ngày bắt đầu').fill(start);
  await page.getByLabel('Ngày dự kiến hoàn thành').fill(due);
  await page.getByLabel('Kinh phí dự kiến (đồng)').fill(cost);
  await follow(page, page.getByRole('button', { name: 'Đăng ký', exact: true }));
}

/** Registers one initiative for this year through the form; returns its id. */
async function registerThroughForm(page, s, title) {
  await page.goto('/initiatives/new');
  await sendRegistration(page, s, {
    title,
    kind: 'Công trình',
    field: 'Cải cách hành chính',
    description: 'Đăng ký trong năm, chờ Ban Thường vụ duyệt.',
    start: dateAsTyped(s, '01', '03'),
    due: dateAsTyped(s, '31', '12'),
    cost: '8000000',
  });
  const match = path(page).match(/^\/initiatives\/(\d+)$/);
  assert.ok(match, `registering ${JSON.stringify(title)} did not open its page (${page.url()})`);
  return match[1];
}

export const FLOWS = [
  {
    name: 'the sign-in page: labels, a wrong password told in Vietnamese, visible focus',
    independent: true,
    async run(s) {
      const { page } = s.v;
      await page.goto('/');
      assert.equal(path(page), '/login', 'a visitor is not sent to the sign-in page');
      assert.equal(await page.locator('h1').innerText(), 'Đăng nhập');
      assert.equal(await page.title(), 'Đăng nhập – Học tập và làm theo Bác');
      await s.v.check('sign-in');
      await s.v.screenshot('sign-in');
      const unfocused = await checkFocusVisible(page, 5);
      assert.deepEqual(unfocused, [], `no visible focus on: ${unfocused.join(', ')}`);

      await page.getByLabel('Tên đăng nhập').fill(s.secretary.username);
      await page.getByLabel('Mật khẩu').fill('not-the-password');
      await follow(page, page.getByRole('button', { name: 'Đăng nhập' }));
      assert.equal(new URL(page.url()).pathname, '/login');
      const error = page.getByRole('alert');
      assert.ok((await error.innerText()).trim().length > 0, 'no message after a wrong password');
      assert.equal(await page.getByLabel('Tên đăng nhập').inputValue(), s.secretary.username, 'the username typed is lost');
      await s.v.check('sign-in with a wrong password');
    },
  },

  {
    name: 'a secretary\'s account page lists this session; the admin reads the failed sign-ins',
    independent: true,
    async run(s) {
      const { page } = s.v;
      // One wrong password first, for the admin's list.
      await page.goto('/login');
      await page.getByLabel('Tên đăng nhập').fill(s.secretary.username);
      await page.getByLabel('Mật khẩu').fill('sai-mat-khau-lan-nua');
      await follow(page, page.getByRole('button', { name: 'Đăng nhập' }));
      assert.equal(path(page), '/login');

      await signIn(s.v, s.secretary.username);
      assert.equal(path(page), '/home', 'a secretary does not land on the to-do page');
      await s.v.screenshot('home');
      await follow(page, await inMenu(page, 'Tài khoản của tôi'));
      assert.equal(path(page), '/account');
      assert.equal(await page.locator('h1').innerText(), 'Tài khoản của tôi');
      await assertShows(page, 'Phiên này');
      // This browser is the only one signed in: there are no other devices to sign out.
      assert.equal(await page.getByRole('button', { name: 'Đăng xuất khỏi các thiết bị khác' }).count(), 0, 'a button to sign out other devices, with no other session');
      await s.v.check('account');
      await s.v.screenshot('account');
      await signOut(s.v);

      await signIn(s.v, 'admin');
      await page.goto('/admin/sign-ins');
      assert.equal(await page.locator('h1').innerText(), 'Đăng nhập không thành công');
      const row = page.locator('table tbody tr', { hasText: s.secretary.username }).first();
      assert.ok(await row.isVisible(), `the wrong password for ${s.secretary.username} is not listed`);
      await s.v.check('failed sign-ins');
      await s.v.screenshot('sign-ins');
      await signOut(s.v);
    },
  },

  {
    name: 'the header is one short bar with a Menu on a phone (links in the bar on a desktop); the help page, signed out and in',
    independent: true,
    async run(s) {
      const { page } = s.v;
      const phone = s.v.viewport.name === 'phone';
      // Signed out, the sign-in page leads to the help, which needs no account.
      await page.goto('/login');
      await follow(page, page.locator('main').getByRole('link', { name: 'Hướng dẫn sử dụng' }));
      assert.equal(path(page), '/help');
      assert.equal(await page.locator('h1').innerText(), 'Hướng dẫn sử dụng');
      await assertShows(page, 'Bí thư chi bộ, đảng ủy cơ sở', 'Ban Thường vụ (duyệt và nghiệm thu)', 'Quản trị hệ thống', 'Quên mật khẩu', '15022026');
      const shots = await page.locator('img[data-help-shot]').evaluateAll((images) => images.map((image) => image.getAttribute('src')));
      assert.ok(shots.length >= 4, `the help page shows ${shots.length} screenshots`);
      for (const src of shots) {
        const answer = await page.request.get(src);
        assert.equal(answer.status(), 200, `the help page's screenshot ${src} answered ${answer.status()}`);
        assert.equal(answer.headers()['content-type'], 'image/png', `${src} is not a PNG`);
      }
      await s.v.check('help, signed out');

      await signIn(s.v, s.secretary.username);
      const menu = page.locator('details[data-menu]');
      const summary = menu.locator(':scope > summary');
      const nav = page.getByRole('navigation', { name: 'Chức năng chính' });
      if (phone) {
        const height = await page.locator('header.site-header').evaluate((header) => header.getBoundingClientRect().height);
        assert.ok(height <= 64, `the closed header is ${height} px tall on a ${s.v.viewport.width} px phone, more than 64`);
        assert.ok(await summary.isVisible(), 'no Menu button on a phone');
        assert.equal((await summary.innerText()).trim().split(/\s/)[0], 'Menu');
        assert.equal(await menu.evaluate((details) => details.open), false, 'the menu is open on arrival');
        assert.equal(await nav.getByRole('link', { name: 'Tổng hợp' }).isVisible(), false, 'the links show while the menu is closed');
        await s.v.screenshot('menu-closed', { maxHeight: s.v.viewport.height });
        await openMenu(page);
        for (const name of ['Việc cần làm', 'Tổng hợp', 'Mô hình, công trình', 'Đăng ký mới', 'Bị trả lại', 'Hướng dẫn']) {
          assert.ok(await nav.getByRole('link', { name }).isVisible(), `${name} is not shown in the open menu`);
        }
        assert.ok(await (await inMenu(page, 'Tài khoản của tôi')).isVisible(), 'the open menu has no link to the account');
        await s.v.check('the menu open');
        await s.v.screenshot('menu-open', { maxHeight: s.v.viewport.height });
      } else {
        assert.equal(await summary.isVisible(), false, 'a Menu button on a desktop');
        assert.ok(await nav.getByRole('link', { name: 'Tổng hợp' }).isVisible(), 'the links are not in the bar on a desktop');
        assert.ok(await page.getByRole('button', { name: 'Đăng xuất' }).isVisible(), 'no sign-out button in the bar on a desktop');
      }
      await followMenu(page, 'Hướng dẫn');
      assert.equal(path(page), '/help', 'the menu\'s help link does not open the help');
      assert.equal(await page.locator('h1').innerText(), 'Hướng dẫn sử dụng');
      await s.v.check('help, signed in');
      await s.v.screenshot('help');
      await signOut(s.v);

      // A count on a menu link shows on the closed Menu too.
      await signIn(s.v, REVIEWER);
      const waiting = (await page.locator('[data-badge="review"]').textContent()).trim();
      assert.match(waiting, /^\d+$/, 'the reviewer has nothing waiting in the demo');
      const badge = summary.locator('[data-badge="menu"]');
      if (phone) {
        assert.ok(await badge.isVisible(), 'the closed Menu shows no count of what waits');
        assert.ok((await badge.innerText()).includes(waiting), `the Menu's count reads ${JSON.stringify(await badge.innerText())}, not ${waiting}`);
      }
      await signOut(s.v);
    },
  },

  {
    name: 'the reviewer sees the article\'s 2022 figures for the bloc, and this year\'s before anything is registered',
    async run(s) {
      const { page } = s.v;
      await signIn(s.v, REVIEWER);
      const h1 = await page.locator('h1').innerText();
      assert.ok(h1.includes(BLOC) && h1.includes('năm 2022'), `the reviewer's dashboard opens on ${JSON.stringify(h1)}`);
      await assertShows(
        page,
        'Năm 2022, 100% tổ chức đảng, đơn vị trực thuộc đăng ký 94 mô hình, công trình; đã hoàn thành 61 mô hình, công trình với tổng trị giá hơn 6 tỷ đồng.',
      );
      const shown = await figures(page);
      assert.equal(shown.registered, '94');
      assert.equal(shown.completed, '61');
      assert.equal(shown.coverage_rate, '100%');
      assert.equal(shown.actual_value_headline, 'hơn 6 tỷ đồng');
      assert.equal(shown.actual_value, '6.012.500.000 đ');
      assert.equal(shown.completion_rate, '64,9%');
      await s.v.screenshot('dashboard');
      if (s.v.viewport.name === 'phone') {
        // Follow-up lists show five entries, long charts and tables wait behind disclosures.
        const tall = await page.evaluate(() => document.documentElement.scrollHeight);
        assert.ok(tall < 6 * 740, `the bloc's phone dashboard is ${tall} px tall, more than six screens (${6 * 740} px)`);
      }
      const unfocused = await checkFocusVisible(page, 10);
      assert.deepEqual(unfocused, [], `no visible focus on: ${unfocused.join(', ')}`);
      // The data tables behind the charts are checked too.
      await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
      await s.v.check('dashboard 2022 with the data tables open');

      await dashboardForYear(s.v, s.year);
      await s.v.check(`dashboard ${s.year}`);
      s.before = await counts(page);
      await signOut(s.v);
    },
  },

  {
    name: 'a secretary registers an initiative with wrong values, reads the messages, corrects them and saves',
    async run(s) {
      const { page } = s.v;
      await signIn(s.v, s.secretary.username);
      await followMenu(page, 'Đăng ký mới');
      assert.equal(await page.locator('h1').innerText(), 'Đăng ký mô hình, công trình');
      await s.v.check('registration form');
      const unfocused = await checkFocusVisible(page, 12);
      assert.deepEqual(unfocused, [], `no visible focus on: ${unfocused.join(', ')}`);

      // Wrong on purpose: a due date before the start, a cost that is not money.
      await sendRegistration(page, s, {
        title: s.title,
        kind: 'Mô hình',
        field: 'Cải cách hành chính',
        description: 'Tiếp nhận và trả kết quả hồ sơ hoàn toàn trên môi trường điện tử.',
        start: dateAsTyped(s, '10', '01'),
        due: dateAsTyped(s, '05', '01'),
        cost: 'abc',
      });

      assert.equal(await page.locator('h1').innerText(), 'Đăng ký mô hình, công trình', 'the form is not shown again');
      const form = page.locator('form.stacked');
      await assertErrorSummary(page, form, { due_date: DUE_ERROR, estimated_cost_vnd: COST_ERROR });
      await assertShows(page, 'Chưa lưu được: hãy sửa 2 mục dưới đây');
      await assertFieldError(page, 'estimated_cost_vnd', COST_ERROR);
      await assertFieldError(page, 'due_date', DUE_ERROR);
      assert.equal(await page.getByLabel('Tên mô hình, công trình').inputValue(), s.title, 'the title typed is lost');
      assert.equal(await page.getByLabel('Kinh phí dự kiến (đồng)').inputValue(), 'abc', 'the wrong value is not kept for correcting');
      // A field in error is drawn with the red border, not the grey one of the plain rule.
      const border = await page.getByLabel('Kinh phí dự kiến (đồng)').evaluate((el) => {
        const style = getComputedStyle(el);
        return `${style.borderTopWidth} ${style.borderTopColor}`;
      });
      assert.equal(border, '2px rgb(179, 22, 27)', 'a text input in error has no red border');
      await s.v.check('registration form with errors');
      await s.v.screenshot('form-errors');

      // The summary's link takes the person to the field.
      await page.locator('.error-summary').getByRole('link', { name: COST_ERROR }).click();
      assert.ok(page.url().endsWith('#estimated_cost_vnd'));
      assert.ok(await page.getByLabel('Kinh phí dự kiến (đồng)').isVisible());

      // Typed as a phone's number pad types them, digits alone (on the desktop with
      // dashes and dots).
      await page.getByLabel('Ngày bắt đầu').fill(s.start.typed);
      await page.getByLabel('Ngày dự kiến hoàn thành').fill(s.v.viewport.name === 'phone' ? `3011${s.year}` : `30.11.${s.year}`);
      await page.getByLabel('Kinh phí dự kiến (đồng)').fill('15.000.000');
      await follow(page, page.getByRole('button', { name: 'Đăng ký', exact: true }));
      const match = path(page).match(/^\/initiatives\/(\d+)$/);
      assert.ok(match, `saving did not open the initiative's page (${page.url()})`);
      s.id = Number(match[1]);
      assert.equal(await page.locator('h1').innerText(), s.title);
      await assertShows(page, 'Đã đăng ký mô hình, công trình.', 'Đã đăng ký – chờ duyệt', '15.000.000 đ', `${s.start.shown} – 30/11/${s.year}`, s.secretary.unit);
      assert.equal(await page.locator('.error-summary').count(), 0);
      await s.v.check('initiative just registered');

      await followMenu(page, 'Mô hình, công trình');
      await s.v.check('initiative list');
      const row = page.locator('table.list-table tbody tr', { has: page.getByRole('link', { name: s.title }) });
      assert.equal(await row.count(), 1, 'the new initiative is not in the list');
      const rowText = (await row.innerText()).replace(/\s+/g, ' ');
      for (const expected of [s.secretary.unit, String(s.year), 'Cải cách hành chính', 'Đã đăng ký', '15.000.000 đ']) {
        assert.ok(rowText.includes(expected), `the list row does not show ${expected}: ${rowText}`);
      }
      await s.v.screenshot('list');
      await signOut(s.v);
    },
  },

  {
    name: 'the reviewer sees it waiting in the dashboard and approves it from the review inbox',
    async run(s) {
      const { page } = s.v;
      await signIn(s.v, REVIEWER);
      await dashboardForYear(s.v, s.year);
      const now = await counts(page);
      assert.equal(now.registered, s.before.registered + 1, 'registered did not go up by one');
      assert.equal(now.awaiting_approval, s.before.awaiting_approval + 1, 'awaiting approval did not go up by one');
      assert.equal(now.completed, s.before.completed);
      await s.v.check(`dashboard ${s.year} with the new registration`);

      await followMenu(page, /Chờ xem xét/);
      assert.equal(await page.locator('h1').innerText(), 'Việc chờ xem xét');
      await s.v.check('review inbox');
      await s.v.screenshot('review-inbox');
      const waiting = page.locator('section', { has: page.locator('#approval-title') });
      await follow(page, waiting.getByRole('link', { name: s.title }));
      assert.equal(path(page), `/initiatives/${s.id}`);
      await s.v.check('initiative waiting for approval (reviewer)');
      await follow(page, page.getByRole('button', { name: 'Duyệt đăng ký' }));
      await assertShows(page, 'Đã duyệt đăng ký');
      assert.equal(await page.locator('[data-review]').innerText(), 'Đã duyệt – chưa triển khai');
      await s.v.check('initiative approved');
      await signOut(s.v);
    },
  },

  {
    name: 'the secretary reports it completed, with evidence, after a message about the missing file',
    async run(s) {
      const { page } = s.v;
      await signIn(s.v, s.secretary.username);
      await followMenu(page, 'Mô hình, công trình');
      await follow(page, page.getByRole('link', { name: s.title }));
      assert.equal(path(page), `/initiatives/${s.id}`);
      await s.v.check('approved initiative (secretary)');

      const report = page.locator('section', { has: page.locator('#report-title') });
      await report.getByLabel('Giá trị thực hiện (đồng)').fill('12.500.000');
      await report.getByLabel('Ngày hoàn thành').fill(s.start.typed);
      await report.getByLabel('Tóm tắt kết quả đạt được').fill('100% hồ sơ được tiếp nhận và trả kết quả trực tuyến.');
      await follow(page, report.getByRole('button', { name: 'Gửi báo cáo hoàn thành' }));
      await assertErrorSummary(page, page.locator('section', { has: page.locator('#report-title') }).locator('form'), { files: FILES_ERROR });
      await assertShows(page, FILES_ERROR);
      const filesError = page.locator('#error-files');
      assert.equal((await filesError.innerText()).trim(), FILES_ERROR);
      assert.equal(await page.locator('.field', { has: page.locator('#files') }).locator('#error-files').count(), 1, 'the file message is not beside the file field');
      assert.equal(await page.getByLabel('Giá trị thực hiện (đồng)').inputValue(), '12.500.000', 'the value typed is lost');
      await s.v.check('completion report with an error');

      await report.getByLabel('Minh chứng').setInputFiles({ name: 'anh-nghiem-thu.png', mimeType: 'image/png', buffer: evidencePng() });
      await follow(page, report.getByRole('button', { name: 'Gửi báo cáo hoàn thành' }));
      assert.equal(path(page), `/initiatives/${s.id}`);
      assert.equal(await page.locator('.error-summary').count(), 0, 'the report was refused');
      assert.equal(await page.locator('[data-review]').innerText(), 'Đã báo cáo hoàn thành – chờ nghiệm thu');
      await assertShows(page, 'anh-nghiem-thu.png', '12.500.000 đ', '100% hồ sơ được tiếp nhận');
      const completed = page.locator('dt', { hasText: 'Ngày hoàn thành' }).locator('xpath=following-sibling::dd');
      assert.equal((await completed.innerText()).trim(), s.start.shown, `the completion date typed as ${s.start.typed}`);
      await s.v.check('initiative waiting for acceptance (secretary)');
      await signOut(s.v);
    },
  },

  {
    name: 'the reviewer accepts it; the dashboard counts it; drill down from the bloc to the unit and open it',
    async run(s) {
      const { page } = s.v;
      await signIn(s.v, REVIEWER);
      await dashboardForYear(s.v, s.year);
      let now = await counts(page);
      assert.equal(now.awaiting_acceptance, s.before.awaiting_acceptance + 1, 'awaiting acceptance did not go up by one');
      assert.equal(now.completed, s.before.completed, 'completed before acceptance');

      await followMenu(page, /Chờ xem xét/);
      const reports = page.locator('section', { has: page.locator('#acceptance-title') });
      await follow(page, reports.getByRole('link', { name: s.title }));
      await s.v.check('initiative waiting for acceptance (reviewer)');
      await follow(page, page.getByRole('button', { name: 'Nghiệm thu' }));
      assert.equal(await page.locator('[data-review]').innerText(), 'Hoàn thành – đã nghiệm thu', 'one label, not two');
      assert.equal(await page.locator('[data-status]').getAttribute('data-status'), 'completed');
      await s.v.check('initiative accepted');

      await dashboardForYear(s.v, s.year);
      now = await counts(page);
      assert.equal(now.registered, s.before.registered + 1);
      assert.equal(now.completed, s.before.completed + 1, 'completed did not go up by one');
      assert.equal(now.awaiting_acceptance, s.before.awaiting_acceptance);
      assert.equal(now.awaiting_approval, s.before.awaiting_approval);
      assert.equal(now.actual_value, s.before.actual_value + ACTUAL_VALUE, 'the actual value did not grow by the reported value');
      await s.v.check(`dashboard ${s.year} with the accepted initiative`);

      // Drill down: bloc → unit, then the unit's list, then the initiative. The table
      // by unit waits behind its disclosure.
      await page.locator('details[data-disclosure="children"] > summary').click();
      const childRow = page.locator(`tr[data-child-unit="${s.secretary.code}"]`);
      const childText = (await childRow.innerText()).replace(/\s+/g, ' ');
      assert.ok(childText.includes(s.secretary.unit), `the bloc's table has no row for ${s.secretary.unit}`);
      assert.ok(childText.includes('12.500.000 đ'), `the unit's row does not show the value: ${childText}`);
      await follow(page, childRow.getByRole('link', { name: s.secretary.unit }));
      const h1 = await page.locator('h1').innerText();
      assert.ok(h1.includes(s.secretary.unit) && h1.includes(`năm ${s.year}`), `drilling down opened ${JSON.stringify(h1)}`);
      assert.ok((await page.locator('nav.breadcrumb').innerText()).includes(BLOC), 'the breadcrumb does not lead back to the bloc');
      const unitFigures = await counts(page);
      assert.ok(unitFigures.completed >= 1 && unitFigures.actual_value >= ACTUAL_VALUE, `the unit's figures: ${JSON.stringify(unitFigures)}`);
      await s.v.check(`dashboard of ${s.secretary.unit}`);

      await follow(page, page.getByRole('link', { name: /^Xem danh sách \d+ mô hình, công trình$/ }));
      await s.v.check(`list of ${s.secretary.unit}`);
      await follow(page, page.getByRole('link', { name: s.title }));
      assert.equal(path(page), `/initiatives/${s.id}`);
      await assertShows(page, 'Hoàn thành – đã nghiệm thu', '12.500.000 đ', '15.000.000 đ', 'anh-nghiem-thu.png', 'Nghiệm thu', 'Duyệt đăng ký');
      assert.equal(await page.locator('[data-money="actual"]').innerText(), '12.500.000 đ');
      assert.equal(await page.getByRole('img', { name: /anh-nghiem-thu\.png/ }).count(), 1, 'the evidence photo is not shown');
      await s.v.check('accepted initiative, opened from the drill-down');
      await s.v.screenshot('detail');
    },
  },

  {
    name: 'the reviewer ticks the registrations waiting in the inbox and approves them in one action; one changed meanwhile is refused',
    async run(s) {
      const { page } = s.v;
      // Meanwhile the secretary registers three more for this year, in a browser of their own.
      const secretary = await secretaryElsewhere(s);
      const registered = [];
      try {
        for (const title of ['Tủ sách pháp luật tại cơ quan', 'Dân vận khéo trong tiếp công dân', 'Số hóa hồ sơ lưu trữ']) {
          registered.push(await registerThroughForm(secretary.page, s, `${title} (${s.v.viewport.name}) ${s.year}`));
        }

        // Still signed in as the reviewer.
        await followMenu(page, /Chờ xem xét/);
        const waiting = page.locator('section', { has: page.locator('#approval-title') });
        const boxes = waiting.locator('input[type=checkbox][name=approve]');
        const n = await boxes.count();
        const ids = [];
        for (let i = 0; i < n; i += 1) {
          await boxes.nth(i).check();
          ids.push(await boxes.nth(i).getAttribute('data-select'));
        }
        assert.ok(registered.every((id) => ids.includes(id)), `the inbox does not list the three new registrations: ${ids} / ${registered}`);
        assert.ok(n >= 4, `only ${n} registrations wait for approval`);
        const days = await waiting.locator('[data-days-waiting]').first().innerText();
        assert.match(days, /^(Hôm nay|[\d.]+ ngày)$/, `days waiting reads ${JSON.stringify(days)}`);
        await s.v.check('review inbox with registrations ticked');

        // The secretary changes one of them after the reviewer opened the inbox.
        const changed = registered[2];
        await secretary.page.goto(`/initiatives/${changed}/edit`);
        await secretary.page.getByLabel('Mô tả').fill('Số hóa toàn bộ hồ sơ lưu trữ từ năm 2015, có danh mục tra cứu.');
        await follow(secretary.page, secretary.page.getByRole('button', { name: 'Lưu', exact: true }));
        assert.equal(path(secretary.page), `/initiatives/${changed}`, 'the secretary\'s change was not saved');

        await follow(page, page.getByRole('button', { name: 'Duyệt các mục đã chọn' }));
        assert.equal(path(page), '/review/bulk');
        await assertShows(page, `Đã duyệt ${n - 1} mục; 1 mục không thực hiện được.`);
        const done = await page.locator('[data-done]').evaluateAll((items) => items.map((item) => item.getAttribute('data-done')));
        assert.deepEqual([...done].sort(), ids.filter((id) => id !== changed).sort(), 'the result page lists every other ticked registration as approved');
        const refused = await page.locator('[data-refused]').evaluateAll((items) => items.map((item) => item.getAttribute('data-refused')));
        assert.deepEqual(refused, [changed], 'the registration changed meanwhile is not the one refused');
        assert.ok((await page.locator(`[data-refused="${changed}"] .refusal-reason`).innerText()).trim().length > 0, 'the refusal gives no reason');
        await s.v.check('bulk approval result');
        await s.v.screenshot('bulk-result');

        await follow(page, page.getByRole('link', { name: /Về danh sách chờ xem xét/ }));
        const left = await page.locator('section', { has: page.locator('#approval-title') }).locator('input[name=approve]')
          .evaluateAll((inputs) => inputs.map((input) => input.getAttribute('data-select')));
        assert.ok(done.every((id) => !left.includes(id)), 'an approved registration still waits in the inbox');
        assert.ok(left.includes(changed), 'the refused registration no longer waits in the inbox');
      } finally {
        await secretary.close();
      }
    },
  },
];

/** The last flow, after the export flows: the reviewer is still signed in. */
export const SIGN_OUT = {
  name: 'signing out ends the session: the back button shows nothing private',
  async run(s) {
    const { page } = s.v;
    // The reviewer, still signed in, on a private page.
    await page.goto(`/initiatives/${s.id}`);
    assert.equal(path(page), `/initiatives/${s.id}`);
    await assertShows(page, s.title);
    const privateAnswer = s.v.lastDocument();
    assert.match(privateAnswer.headers()['cache-control'] || '', /no-store/, 'private pages must be sent with Cache-Control: no-store');
    await signOut(s.v);
    await s.v.check('sign-in after signing out');

    await page.goBack({ waitUntil: 'load' });
    const text = await mainText(page);
    assert.ok(!text.includes(s.title), `going back after signing out shows the initiative: ${page.url()}`);
    assert.equal(await page.getByRole('button', { name: 'Đăng xuất' }).count(), 0, 'going back shows a signed-in page');
    assert.equal(path(page), '/login', `going back after signing out shows ${page.url()}, not the sign-in page`);

    for (const privatePage of ['/dashboard', `/initiatives/${s.id}`, '/review']) {
      await page.goto(privatePage);
      assert.equal(path(page), '/login', `${privatePage} opens without signing in`);
    }
    // The session cookie is gone or no longer signs anyone in.
    const answer = await page.request.get('/dashboard', { maxRedirects: 0 });
    assert.equal(answer.status(), 303, `GET /dashboard after sign-out answers ${answer.status()}`);
  },
};

