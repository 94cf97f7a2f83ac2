// Fails early, with the fix, when the e2e tests have no Chromium to drive.
import { findChromium, missingChromiumMessage } from '../src/cli/chromium';

const path = findChromium();
if (!path) {
  console.error(missingChromiumMessage);
  process.exit(1);
}
console.log(`Chromium: ${path}`);
