// The export flows: the reviewer, still signed in after accepting, opens the printable
// annual report and downloads the files. They run after FLOWS and before SIGN_OUT.
import assert from 'node:assert/strict';
import { assertShows, dashboardForYear } from './steps.mjs';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** What each download must be: its path, its content type, how its bytes begin. */
export const DOWNLOADS = [
  { path: '/exports/annual.xlsx', type: /^application\/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet/, starts: Buffer.from('PK') },
  { path: '/exports/initiatives.csv', type: /^text\/csv/, starts: BOM },
  { path: '/reports/annual.pdf', type: /^application\/pdf/, starts: Buffer.from('%PDF') },
];

export const reviewerExports = {
  name: 'the reviewer opens the printable annual report for 2022 and downloads the XLSX, CSV and PDF',
  async run(s) {
    const { page } = s.v;
    await dashboardForYear(s.v, 2022);
    const unit = await page.locator('form.year-picker input[name="unit"]').inputValue();
    const query = `year=2022&unit=${unit}`;

    assert.equal((await page.goto(`/reports/annual?${query}`)).status(), 200, 'the printable report does not open');
    await assertShows(page, '94', '61', 'hơn 6 tỷ đồng');
    await s.v.check('printable annual report 2022');
    await s.v.screenshot('report');

    for (const download of DOWNLOADS) {
      const answer = await page.request.get(`${download.path}?${query}`);
      assert.equal(answer.status(), 200, `${download.path} answers ${answer.status()}`);
      const type = answer.headers()['content-type'] || '';
      assert.match(type, download.type, `${download.path} is sent as ${type}`);
      const body = await answer.body();
      assert.ok(body.length > download.starts.length, `${download.path} is empty`);
      assert.ok(body.subarray(0, download.starts.length).equals(download.starts), `${download.path} does not begin with ${JSON.stringify(download.starts.toString('latin1'))}`);
    }
  },
};

// Empty until the export routes exist on main: then `[reviewerExports]`.
export const EXPORT_FLOWS = [];
