import { describe, expect, it } from 'vitest';
import config from '../../../wxt.config';

type ManifestFn = (env: { browser: string }) => Record<string, unknown>;

describe('the manifest', () => {
  it.each([
    ['chrome', ['pageCapture']],
    ['firefox', undefined],
  ])('asks %s only for permissions a shipped feature uses', (browser, optional) => {
    const manifest = (config.manifest as ManifestFn)({ browser });
    // activeTab and contextMenus: reports from the context menu and the keyboard shortcut.
    expect(manifest.permissions).toEqual([
      'storage',
      'unlimitedStorage',
      'alarms',
      'activeTab',
      'contextMenus',
    ]);
    // Optional hosts prompt nothing at install: they are asked for when the user enables a site,
    // or (<all_urls>) screenshots for reports filed from the hover card.
    expect(manifest.optional_host_permissions).toEqual(['https://*/*', 'http://*/*', '<all_urls>']);
    // MHTML evidence is Chromium's pageCapture, asked when the user turns it on.
    expect(manifest.optional_permissions).toEqual(optional);
    expect((manifest.host_permissions as string[]).every((m) => m.startsWith('https://'))).toBe(
      true,
    );
  });
});
