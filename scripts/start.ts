/**
 * `npm start`: build the extension, serve the demo platform pages over local HTTPS, publish the
 * bundled list as a signed feed (a demo key made for this run) on the reference server, and open
 * Chromium with LeadGuard loaded and subscribed to it. Headed where a display exists, headless
 * otherwise.
 */
import { execSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import {
  EXTENSION_ID,
  chromiumArgs,
  findChromium,
  freshProfileDir,
  missingChromiumMessage,
} from '../src/cli/chromium';
import { startDemoServer } from '../src/cli/demo-server';
import { buildFeed, keygen, readPrivateKey, readPublicKey } from '../src/cli/feed';
import { createApp } from '../src/server/app';
import { feedRoutes } from '../src/server/routes/feed';
import { startServer } from '../src/server/serve';

const say = (text: string) => console.log(`[leadguard] ${text}`);

const executablePath = findChromium();
if (!executablePath) {
  console.error(missingChromiumMessage);
  process.exit(1);
}

say('building the extension (wxt build)…');
execSync('npx wxt build', { stdio: 'inherit' });

const server = await startDemoServer();
say(`demo platform pages on https://127.0.0.1:${server.port} (platform hostnames map there)`);

// The bundled list, signed by a key made for this run and served as a feed (leadguard feed …).
const demo = mkdtempSync(join(tmpdir(), 'leadguard-demo-feed-'));
const { key, pub } = await keygen(join(demo, 'keys'));
const built = await buildFeed({
  input: resolve(import.meta.dirname, '../src/core/default-list.json'),
  out: join(demo, 'feed'),
  keys: [await readPrivateKey(key)],
});
const feedServer = await startServer(createApp([feedRoutes(join(demo, 'feed'))]));
const manifestUrl = `${feedServer.origin}/feed/manifest.json`;
const publicKey = await readPublicKey(pub);
say(`signed feed ${built.manifest.feed} v${built.manifest.version} on ${manifestUrl}`);
say(`  demo key ${publicKey} (in ${join(demo, 'keys')}); serve it yourself with`);
say(`  npx leadguard serve --feed ${join(demo, 'feed')}`);

const headless = !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
say(`launching ${executablePath}${headless ? ' headless (no display found)' : ''}…`);
const context = await chromium.launchPersistentContext(freshProfileDir(), {
  executablePath,
  headless,
  args: chromiumArgs({ fixturePort: server.port }),
  ignoreHTTPSErrors: true,
  viewport: null,
});
// Subscribe the way a moderator would: the options page's feed form.
const options = await context.newPage();
await options.goto(`chrome-extension://${EXTENSION_ID}/options.html`);
await options.locator('#add-feed input[name=url]').fill(manifestUrl);
await options.locator('#add-feed textarea[name=keys]').fill(publicKey);
await options.locator('#add-feed button[type=submit]').click();
await options
  .locator('#feed-message.ok, #feed-message.error')
  .waitFor({ timeout: 60_000 })
  .catch(() => {});
say(`options page: ${(await options.locator('#feed-message').textContent()) ?? ''}`);

const demoUrl = 'https://demo.leadguard.test/';
const page = context.pages()[0] ?? (await context.newPage());
await page.goto(demoUrl);
say(`extension ${EXTENSION_ID} loaded; demo page: ${demoUrl}`);
say(`popup: chrome-extension://${EXTENSION_ID}/popup.html`);
if (headless) {
  const shot = 'leadguard-demo.png';
  await page.screenshot({ path: shot, fullPage: true });
  say(
    `headless run: screenshot of the demo page written to ${shot}. Set DISPLAY to see the window.`,
  );
}
say('press Ctrl+C to stop.');

const stop = async () => {
  await context.close().catch(() => {});
  await feedServer.close();
  await server.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
context.on('close', () => void stop());
