import { describe, expect, it } from 'vitest';
import config from '../../../wxt.config';

type ManifestFn = (env: { browser: string }) => Record<string, unknown>;

describe('the manifest', () => {
  it.each(['chrome', 'firefox'])(
    'asks %s only for permissions a shipped feature uses',
    (browser) => {
      const manifest = (config.manifest as ManifestFn)({ browser });
      expect(manifest.permissions).toEqual(['storage', 'unlimitedStorage', 'alarms']);
      // Optional hosts prompt nothing at install: they are asked for when the user enables a site.
      expect(manifest.optional_host_permissions).toEqual(['https://*/*', 'http://*/*']);
      expect((manifest.host_permissions as string[]).every((m) => m.startsWith('https://'))).toBe(
        true,
      );
    },
  );
});
