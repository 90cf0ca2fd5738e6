// The export flows: the reviewer, still signed in after accepting, opens the printable
// annual report from the dashboard and downloads the files. They run after FLOWS and
// before SIGN_OUT.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BLOC } from './flows.mjs';
import { assertShows, dashboardForYear, follow, path } from './steps.mjs';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** What each download must be: its path, its content type, how its bytes begin. */
export const DOWNLOADS = [
  { path: '/exports/annual.xlsx', type: /^application\/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet/, starts: Buffer.from('PK') },
  { path: '/exports/initiatives.csv', type: /^text\/csv/, starts: BOM, text: ['Đảng bộ Sở Tài chính'] },
  { path: '/reports/annual.pdf', type: /^application\/pdf/, starts: Buffer.from('%PDF') },
];

/** The text of the report as Chromium prints it on A4 (poppler's pdftotext reads it). */
async function printedText(page) {
  const dir = mkdtempSync(join(tmpdir(), 'lamtheobac-print-'));
  try {
    const file = join(dir, 'report.pdf');
    writeFileSync(file, await page.pdf({ format: 'A4', preferCSSPageSize: true }));
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1]);
    return { pages, text: execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const reviewerExports = {
  name: 'the reviewer opens the printable annual report for 2022 from the dashboard and downloads the XLSX, CSV and PDF',
  async run(s) {
    const { page } = s.v;
    await dashboardForYear(s.v, 2022);
    const unit = await page.locator('form.year-picker input[name="unit"]').inputValue();
    const query = `year=2022&unit=${unit}`;
    const offered = page.getByRole('navigation', { name: 'Báo cáo, xuất dữ liệu' });
    for (const download of DOWNLOADS) {
      assert.equal(await offered.locator(`a[href="${download.path}?${query}"]`).count(), 1, `the dashboard offers no ${download.path}`);
    }

    await follow(page, offered.getByRole('link', { name: 'Báo cáo năm 2022 (bản in)' }));
    assert.equal(path(page), `/reports/annual?${query}`);
    await assertShows(page, BLOC, '94 mô hình, công trình', '61 mô hình, công trình', 'hơn 6 tỷ đồng', '64,9%');
    // The demo's own report settings for 2022: number, date, signer and sections.
    await assertShows(page, 'Số 25-BC/ĐUK', 'ngày 15 tháng 12 năm 2022', 'Lương Thị Thu Hà', 'Phương hướng, nhiệm vụ năm 2023');
    await s.v.check('printable annual report 2022');
    await s.v.screenshot('report');
    // Printed, the totals row comes once, at the end: a browser repeats a table's footer
    // at the foot of every page, where it would read as a subtotal.
    const printed = await printedText(page);
    assert.ok(printed.pages >= 2, `the printed report has ${printed.pages} page(s): too short to show a repeated footer`);
    assert.equal(printed.text.split('Tổng cộng').length - 1, 1, 'the printed report shows "Tổng cộng" more than once');

    // What the report's own links download.
    const tools = page.getByRole('navigation', { name: 'Báo cáo' });
    for (const download of DOWNLOADS) {
      const link = tools.locator(`a[href="${download.path}?${query}"]`);
      assert.equal(await link.count(), 1, `the report offers no ${download.path}`);
      const answer = await page.request.get(await link.getAttribute('href'));
      assert.equal(answer.status(), 200, `${download.path} answers ${answer.status()}`);
      const type = answer.headers()['content-type'] || '';
      assert.match(type, download.type, `${download.path} is sent as ${type}`);
      const body = await answer.body();
      assert.ok(body.length > 100, `${download.path} is (nearly) empty: ${body.length} bytes`);
      assert.ok(body.subarray(0, download.starts.length).equals(download.starts), `${download.path} does not begin with ${JSON.stringify(download.starts.toString('latin1'))}`);
      if (download.text) {
        const text = body.toString('utf8');
        for (const expected of download.text) assert.ok(text.includes(expected), `${download.path} does not contain ${expected}`);
      }
    }

    // The report settings, reached from the dashboard, hold the demo's; changed once,
    // they are what the printed report then says: its number and its date.
    await follow(page, tools.getByRole('link', { name: '← Về trang tổng hợp' }));
    await follow(page, page.locator('a[data-report-settings]'));
    assert.equal(path(page), `/reports/settings?${query}`);
    await s.v.check('report settings 2022');
    await s.v.screenshot('report-settings');
    assert.equal(await page.getByLabel('Số văn bản').inputValue(), '25', 'the demo\'s number is not in the form');
    await page.getByLabel('Số văn bản').fill('26');
    await page.getByLabel('Ngày báo cáo').fill('14/12/2022');
    assert.equal(await page.getByLabel('Họ tên người ký').inputValue(), 'Lương Thị Thu Hà', 'the demo\'s signer is not in the form');
    await follow(page, page.getByRole('button', { name: 'Lưu thiết lập' }));
    await assertShows(page, 'Đã lưu thiết lập báo cáo.');
    await follow(page, page.getByRole('link', { name: 'Xem bản in' }));
    await assertShows(page, 'Số 26-BC/ĐUK', 'ngày 14 tháng 12 năm 2022', 'Lương Thị Thu Hà');
  },
};

export const EXPORT_FLOWS = [reviewerExports];
