import { defineConfig } from 'wxt';
import type { Plugin } from 'vite';
import { supportedMatches } from './src/sites/platforms';

/**
 * zod probes for `new Function` once (util.js `allowsEval`) to decide whether to compile parsers.
 * Extension pages forbid eval, every entrypoint sets `jitless` (src/platform/zod-jitless.ts), and
 * the probe is taken out of the bundles so `web-ext lint` has no Function constructor to flag
 * (10 DANGEROUS_EVAL warnings, issue 10). The build fails if zod's probe changes shape.
 */
function zodWithoutEvalProbe(): Plugin {
  const probe =
    /try\s*\{\s*const F = Function;\s*new F\(""\);\s*return true;\s*\}\s*catch \(_\) \{\s*return false;\s*\}/;
  return {
    name: 'leadguard:zod-without-eval-probe',
    transform(code, id) {
      if (!/[\\/]zod[\\/]v4[\\/]core[\\/]util\.js$/.test(id)) return null;
      if (!probe.test(code)) this.error('zod changed its eval probe: update zodWithoutEvalProbe');
      return { code: code.replace(probe, 'return false;'), map: null };
    },
  };
}

/**
 * Public half of the key that fixes the Chromium extension id to
 * `ldgkbnbpfaijphofclgmbnabiclddadh`, so tests, docs and report servers can name it.
 * The private half is not needed for unpacked builds; store uploads get their own id.
 */
const chromeKey =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA2JtJQWPx2tR8Bzv6luXZqLOM7tH/0nCSHdOYco5e2G2nJQTbidFciE8mG9MN3iUxEgFFMts1FjxDdKPcZsS8dNC2kUyW4qiSDpxZO3RrvE3BIhPgymCoKUq0EzRaFP14Zd/kjz6ByMniZuZCNEiKT4VwGI8gEM2zzqZH06Gu6i943qWNtRDoYlm3V2oI8CUAW4imB+EU21iHpjv0f0qe/Eh5HgC2lKNYG/O32NXwNsWjmJskjzc/DO+UXvyBJRrTxFZM4oG8pFrtEMpUcT4BBJ+XFetJGkHNaPAoLJLhp9L+khCO1GJNG7yL/yg0qshtZimhSYpwzdpoutYKftc+swIDAQAB';

/** Hosts asked for only when the user turns on what needs them. */
const optionalHosts = [
  // The generic adapter on other sites: the site's origin, when a user enables LeadGuard there.
  'https://*/*',
  'http://*/*',
  // Screenshots for reports filed from the hover card (options → 举报): captureVisibleTab
  // takes <all_urls> or activeTab, and a click inside the page grants neither.
  '<all_urls>',
] as const;

/** Permissions asked for only when the user turns on what needs them. */
const optionalPermissions = (browser: string): string[] =>
  // MHTML evidence (Chromium's pageCapture), asked when the user turns it on in the options.
  browser === 'firefox' ? [] : ['pageCapture'];

export default defineConfig({
  imports: false,
  modules: ['@wxt-dev/webextension-polyfill'],
  vite: () => ({ plugins: [zodWithoutEvalProbe()] }),
  manifest: ({ browser, manifestVersion }) => ({
    name: 'LeadGuard',
    description:
      'Highlights and reports the lead generation of illegal debt agents (代理维权, 征信修复, 停息挂账…) on Chinese social platforms.',
    // Only what a shipped feature uses (issue 10). No `tabs`: its "read your browsing history"
    // warning bought nothing, since the host permissions below already show LeadGuard the URLs
    // of platform tabs (pausing a platform finds its tabs by URL, a report reads its tab's URL).
    // Feeds need no host permission: they are public files served with CORS headers (the
    // reference server sends them); the report server admits the extension's origin by CORS too.
    permissions: [
      // Settings, paused platforms, per-tab state, and the compiled matcher that content scripts
      // read in chunks (src/platform/matcher-delivery.ts).
      'storage',
      // Feeds' lists in IndexedDB (a million accounts) and their compiled form pass the default
      // quota; so does the report outbox's evidence (capped in the options, 500 MB by default).
      'unlimitedStorage',
      // The feed sync schedule (every 30 minutes by default, src/platform/sync.ts) and the report
      // outbox's retries (src/platform/outbox.ts), which must outlive the service worker.
      'alarms',
      // A report filed from the context menu or the keyboard shortcut screenshots its tab
      // (captureVisibleTab) with no broader permission: those gestures grant activeTab.
      'activeTab',
      // 举报此账号 / 举报选中文字 on platform pages (src/platform/report-background.ts).
      'contextMenus',
    ],
    // The supported platforms: content scripts, and reading those tabs' URLs.
    host_permissions: [...supportedMatches],
    // Nothing here is asked at install; each is asked for (permissions.request) when the user
    // turns on what needs it. MV2 (Firefox's build) has no optional_host_permissions (WXT drops
    // the key there): its optional hosts go in optional_permissions.
    ...(manifestVersion === 2
      ? { optional_permissions: [...optionalPermissions(browser), ...optionalHosts] }
      : { optional_host_permissions: [...optionalHosts] }),
    ...(manifestVersion === 3 && optionalPermissions(browser).length
      ? { optional_permissions: optionalPermissions(browser) }
      : {}),
    // The keyboard shortcut for reporting the focused match (a gesture that grants activeTab).
    commands: {
      'report-focused': {
        suggested_key: { default: 'Alt+Shift+R' },
        description: '举报当前聚焦的线索（LeadGuard）',
      },
    },
    icons: { 16: 'icon/16.png', 32: 'icon/32.png', 48: 'icon/48.png', 128: 'icon/128.png' },
    action: { default_title: 'LeadGuard' },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'leadguard@leadguard.invalid',
              strict_min_version: '140.0',
              data_collection_permissions: { required: ['none'] },
            },
            gecko_android: { strict_min_version: '142.0' },
          },
        }
      : { key: chromeKey, minimum_chrome_version: '110' }),
  }),
});
