import { describe, expect, it } from 'vitest';
import config from '../../../wxt.config';

type ManifestFn = (env: { browser: string; manifestVersion: 2 | 3 }) => Record<string, unknown>;

const manifestFor = (browser: string, manifestVersion: 2 | 3) =>
  (config.manifest as ManifestFn)({ browser, manifestVersion });

/** Hosts nothing asks for at install: a site the user enables, or screenshots from the card. */
const optionalHosts = ['https://*/*', 'http://*/*', '<all_urls>'];

describe('the manifest', () => {
  it.each([
    ['chrome', 3],
    ['firefox', 2],
  ] as const)('asks %s (MV%i) only for permissions a shipped feature uses', (browser, mv) => {
    const manifest = manifestFor(browser, mv);
    // activeTab and contextMenus: reports from the context menu and the keyboard shortcut.
    expect(manifest.permissions).toEqual([
      'storage',
      'unlimitedStorage',
      'alarms',
      'activeTab',
      'contextMenus',
    ]);
    expect((manifest.host_permissions as string[]).every((m) => m.startsWith('https://'))).toBe(
      true,
    );
  });

  it('keeps optional hosts optional in MV3 and MV2 (which has no optional_host_permissions)', () => {
    const chrome = manifestFor('chrome', 3);
    expect(chrome.optional_host_permissions).toEqual(optionalHosts);
    // MHTML evidence is Chromium's pageCapture, asked when the user turns it on.
    expect(chrome.optional_permissions).toEqual(['pageCapture']);
    const firefox = manifestFor('firefox', 2);
    expect(firefox.optional_host_permissions).toBeUndefined();
    expect(firefox.optional_permissions).toEqual(optionalHosts);
  });
});
