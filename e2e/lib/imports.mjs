// The import flow: the reviewer, still signed in, brings the bloc's 2022 list back in
// from the CSV the dashboard exports. It runs after the export flows, before SIGN_OUT.
import assert from 'node:assert/strict';
import { assertErrorSummary, assertFieldError, dashboardForYear, figures, follow, followMenu, path } from './steps.mjs';

export const reviewerImportsTheExportedList = {
  name: 'the reviewer imports the exported 2022 list back: a message for the missing file, then a preview with nothing to change',
  async run(s) {
    const { page } = s.v;
    // From wherever the last flow left the reviewer (the printed report has no menu).
    await page.goto('/dashboard');
    await dashboardForYear(s.v, 2022);
    const bloc = await page.locator('form.year-picker input[name="unit"]').inputValue();
    const csv = await page.request.get(`/exports/initiatives.csv?year=2022&unit=${bloc}`);
    assert.equal(csv.status(), 200);
    const list = await csv.body();

    await followMenu(page, 'Nhập từ bảng tính');
    assert.equal(await page.locator('h1').innerText(), 'Nhập từ bảng tính');
    await s.v.check('import form');

    const form = page.locator('form.stacked');
    await page.getByRole('combobox', { name: 'Loại dữ liệu' }).selectOption('initiatives');
    await page.getByRole('combobox', { name: 'Nhập vào đơn vị' }).selectOption(bloc);
    await follow(page, page.getByRole('button', { name: 'Kiểm tra và xem trước' }));
    const message = (await page.locator('.error-summary a[href="#file"]').innerText()).trim();
    assert.ok(message.length > 0, 'no message for the missing file');
    await assertErrorSummary(page, form, { file: message });
    await assertFieldError(page, 'file', message);
    await s.v.check('import form without a file');

    await page.getByLabel('Tệp bảng tính').setInputFiles({ name: 'danh-sach-2022.csv', mimeType: 'text/csv', buffer: list });
    await follow(page, page.getByRole('button', { name: 'Kiểm tra và xem trước' }));
    assert.match(path(page), /^\/admin\/imports\/\d+$/, `uploading did not open the preview (${page.url()})`);
    const counted = await figures(page);
    assert.deepEqual(
      { created: counted.created, updated: counted.updated, unchanged: counted.unchanged, errors: counted.errors },
      { created: '0', updated: '0', unchanged: '94', errors: '0' },
      'the exported list does not import back unchanged',
    );
    await s.v.check('import preview');
    await s.v.screenshot('import-preview');
    await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
    await s.v.check('import preview with the unchanged rows open');

    await follow(page, page.getByRole('button', { name: 'Xác nhận nhập' }));
    assert.equal(await page.locator('[data-figure="unchanged"]').innerText(), '94');
    assert.equal(await page.locator('[data-figure="created"]').innerText(), '0');
    assert.equal(await page.locator('[data-figure="updated"]').innerText(), '0');
    await s.v.check('import done');
  },
};

export const IMPORT_FLOWS = [reviewerImportsTheExportedList];
