// Declares the flows as tests at one viewport, against one app and one browser for
// the whole file. The flows build on each other (a registration is approved, then
// reported, then accepted), so after a failure the later ones fail at once, saying why.
import { after, before, test } from 'node:test';
import { startApp } from './app.mjs';
import { launchBrowser, openViewport, VIEWPORTS } from './browser.mjs';
import { FLOWS, newState, SIGN_OUT } from './flows.mjs';
import { EXPORT_FLOWS } from './exports.mjs';
import { IMPORT_FLOWS } from './imports.mjs';

export function suiteAt(viewportName, flows = [...FLOWS, ...EXPORT_FLOWS, ...IMPORT_FLOWS, SIGN_OUT]) {
  const viewport = VIEWPORTS[viewportName];
  const s = newState(viewportName);
  let failed = null;

  before(async () => {
    const started = Date.now();
    // Fail before the app starts when there is no browser.
    s.browser = await launchBrowser();
    s.app = await startApp();
    s.v = await openViewport(s.browser, viewport, s.app.url);
    console.log(`# ${viewportName}: app at ${s.app.url}, ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  after(async () => {
    await s.v?.context.close().catch(() => {});
    await s.browser?.close().catch(() => {});
    await s.app?.stop();
    if (s.v) console.log(`# ${viewportName}: ${s.v.visited.length} page states checked with axe-core`);
  });

  for (const flow of flows) {
    test(`${viewportName} ${viewport.width}×${viewport.height}: ${flow.name}`, async () => {
      if (failed) throw new Error(`not run: it builds on "${failed}", which failed`);
      try {
        await flow.run(s);
      } catch (error) {
        if (!flow.independent) failed = flow.name;
        throw error;
      }
    });
  }
}
