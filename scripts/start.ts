/**
 * `npm start`: build the extension, serve the demo platform pages over local HTTPS, and open
 * Chromium with LeadGuard loaded on them. Headed where a display exists, headless otherwise.
 */
import { execSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import {
  EXTENSION_ID,
  chromiumArgs,
  findChromium,
  freshProfileDir,
  missingChromiumMessage,
} from '../src/cli/chromium';
import { startDemoServer } from '../src/cli/demo-server';

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

const headless = !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
say(`launching ${executablePath}${headless ? ' headless (no display found)' : ''}…`);
const context = await chromium.launchPersistentContext(freshProfileDir(), {
  executablePath,
  headless,
  args: chromiumArgs({ fixturePort: server.port }),
  ignoreHTTPSErrors: true,
  viewport: null,
});
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
  await server.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
context.on('close', () => void stop());
