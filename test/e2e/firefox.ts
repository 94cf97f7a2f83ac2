/**
 * Debian's Firefox ESR with the built extension (.output/firefox-mv2), driven over WebDriver BiDi
 * (Playwright's Firefox needs its own patched build, and its BiDi mode asks ESR 153 for commands
 * it lacks). The extension is installed as a temporary add-on (with a fixed internal UUID);
 * platform hostnames reach the local fixture server through a CONNECT proxy on 127.0.0.1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect as netConnect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import WebSocket from 'ws';

export const firefoxBuildDir = resolve(import.meta.dirname, '../../.output/firefox-mv2');
export const FIREFOX_ADDON_ID = 'leadguard@leadguard.invalid';
const FIREFOX_UUID = '6f1e7c52-2a3b-4c8d-9e0f-1a2b3c4d5e6f';

export function findFirefox(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.FIREFOX_PATH) return existsSync(env.FIREFOX_PATH) ? env.FIREFOX_PATH : null;
  return ['/usr/bin/firefox-esr', '/usr/bin/firefox'].find((p) => existsSync(p)) ?? null;
}

/** Forwards every CONNECT to the fixture server: Firefox's stand-in for --host-resolver-rules. */
function startProxy(fixturePort: number): Promise<Server> {
  const server = createServer((_req, res) => {
    res.writeHead(405);
    res.end();
  });
  server.on('connect', (_req, client, head) => {
    const upstream = netConnect(fixturePort, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    const close = () => {
      upstream.destroy();
      client.destroy();
    };
    upstream.on('error', close);
    client.on('error', close);
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

type Json = Record<string, unknown>;

/** A WebDriver BiDi session: commands in, results and events out. */
class Bidi {
  private nextId = 1;
  private readonly pending = new Map<number, { ok: (v: Json) => void; fail: (e: Error) => void }>();

  constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as Json & { id?: number };
      if (message.id === undefined) return;
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.type === 'error') {
        waiter.fail(new Error(`${String(message.error)}: ${String(message.message)}`));
      } else waiter.ok(message.result as Json);
    });
    ws.on('close', () => {
      for (const w of this.pending.values()) w.fail(new Error('BiDi connection closed'));
      this.pending.clear();
    });
  }

  send<T = Json>(method: string, params: Json = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((ok, fail) => {
      this.pending.set(id, { ok: ok as (v: Json) => void, fail });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }
}

export interface FirefoxTab {
  context: string;
  /** Evaluates `expression` in the page (its own world); the result goes through JSON. */
  evaluate<T>(expression: string): Promise<T>;
  /** Moves the real pointer to viewport coordinates. */
  moveMouse(x: number, y: number): Promise<void>;
  /** Sets the files of the first element matching `selector` (an <input type=file>). */
  setFiles(selector: string, files: string[]): Promise<void>;
  navigate(url: string): Promise<void>;
  reload(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The toolbar popup lives in a panel, not a tab, so BiDi has no context for it; a background
 * extension page reaches its window through `browser.extension.getViews`.
 */
export interface ToolbarPopup {
  /** Evaluates `expression` with `document` the popup's; the result goes through JSON. */
  evaluate<T>(expression: string): Promise<T>;
  close(): Promise<void>;
}

export interface FirefoxSession {
  version: string;
  /** Opens `url` in a new tab (`background`: leaving the window's active tab as it was). */
  open(url: string, options?: { background?: boolean }): Promise<FirefoxTab>;
  /** Opens an extension page such as `popup.html?tab=3`; its scripts see `browser`. */
  openExtensionPage(path: string, options?: { background?: boolean }): Promise<FirefoxTab>;
  /** The tab's id as the extension sees it (`browser.tabs`). */
  tabIdOf(tab: FirefoxTab): Promise<number>;
  /**
   * Opens LeadGuard's toolbar popup in the focused window as its button does: about the
   * window's active tab, with no `?tab=`.
   */
  openToolbarPopup(): Promise<ToolbarPopup>;
  close(): Promise<void>;
}

/** Starts Firefox ESR with LeadGuard installed; every platform host goes to the fixture server. */
export async function launchFirefox(fixturePort: number): Promise<FirefoxSession> {
  const executable = findFirefox();
  if (!executable) throw new Error('Firefox ESR was not found (sudo apt-get install firefox-esr).');
  if (!existsSync(join(firefoxBuildDir, 'manifest.json'))) {
    throw new Error(`No Firefox build at ${firefoxBuildDir}. Run \`npm run build:firefox\` first.`);
  }
  const proxy = await startProxy(fixturePort);
  const proxyPort = (proxy.address() as AddressInfo).port;
  const profile = mkdtempSync(join(tmpdir(), 'leadguard-firefox-'));
  const prefs: Record<string, string | number | boolean> = {
    'network.proxy.type': 1,
    'network.proxy.ssl': '127.0.0.1',
    'network.proxy.ssl_port': proxyPort,
    'network.proxy.http': '127.0.0.1',
    'network.proxy.http_port': proxyPort,
    'network.proxy.no_proxies_on': '',
    'network.proxy.allow_hijacking_localhost': true,
    'network.dns.disablePrefetch': true,
    'extensions.webextensions.uuids': JSON.stringify({ [FIREFOX_ADDON_ID]: FIREFOX_UUID }),
    'intl.accept_languages': 'zh-CN',
    'browser.shell.checkDefaultBrowser': false,
    'datareporting.policy.dataSubmissionEnabled': false,
    'app.update.disabledForTesting': true,
    'browser.aboutwelcome.enabled': false,
    // browserAction.openPopup() from a test script, which is no user gesture (ESR's default too).
    'extensions.openPopupWithoutUserGesture.enabled': true,
  };
  writeFileSync(
    join(profile, 'user.js'),
    Object.entries(prefs)
      .map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`)
      .join('\n'),
  );
  const child: ChildProcess = spawn(
    executable,
    [
      '--headless',
      '--no-remote',
      '--remote-debugging-port=0',
      // Without it BiDi refuses to navigate to moz-extension: pages ("not allowed in this
      // context"); Marionette's chrome context needs it as well.
      '--remote-allow-system-access',
      '--profile',
      profile,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MOZ_CRASHREPORTER_DISABLE: '1' } },
  );
  const cleanup = () => {
    child.kill('SIGKILL');
    proxy.close();
    rmSync(profile, { recursive: true, force: true });
  };
  try {
    const endpoint = await new Promise<string>((ok, fail) => {
      let output = '';
      const timer = setTimeout(() => fail(new Error(`Firefox did not start:\n${output}`)), 30_000);
      const onData = (data: Buffer) => {
        output += String(data);
        const m = /WebDriver BiDi listening on (ws:\/\/[^\s]+)/.exec(output);
        if (m) {
          clearTimeout(timer);
          ok(m[1]!);
        }
      };
      child.stderr!.on('data', onData);
      child.stdout!.on('data', onData);
      child.on('exit', (code) => fail(new Error(`Firefox exited (${code}):\n${output}`)));
    });
    const ws = new WebSocket(`${endpoint}/session`);
    await new Promise((ok, fail) => ws.once('open', ok).once('error', fail));
    const bidi = new Bidi(ws);
    const created = await bidi.send<{ capabilities: { browserVersion: string } }>('session.new', {
      capabilities: { alwaysMatch: { acceptInsecureCerts: true } },
    });
    await bidi.send('webExtension.install', {
      extensionData: { type: 'path', path: firefoxBuildDir },
    });
    const value = <T>(result: Json): T => {
      if (result.type === 'exception') {
        const details = result.exceptionDetails as { text?: string } | undefined;
        throw new Error(`page script failed: ${details?.text ?? 'unknown'}`);
      }
      const remote = result.result as { type: string; value?: unknown };
      return (remote.type === 'string' ? JSON.parse(remote.value as string) : null) as T;
    };
    const extensionPage = (path: string) => `moz-extension://${FIREFOX_UUID}/${path}`;
    const session: FirefoxSession = {
      version: created.capabilities.browserVersion,
      async open(url, options = {}) {
        const { context } = await bidi.send<{ context: string }>('browsingContext.create', {
          type: 'tab',
          background: options.background ?? false,
        });
        await bidi.send('browsingContext.setViewport', {
          context,
          viewport: { width: 1280, height: 900 },
        });
        const tab: FirefoxTab = {
          context,
          async evaluate<T>(expression: string) {
            const result = await bidi.send('script.evaluate', {
              expression: `(async () => JSON.stringify(await (${expression})))()`,
              target: { context },
              awaitPromise: true,
              resultOwnership: 'none',
            });
            return value<T>(result);
          },
          async moveMouse(x, y) {
            await bidi.send('input.performActions', {
              context,
              actions: [
                {
                  type: 'pointer',
                  id: 'mouse',
                  parameters: { pointerType: 'mouse' },
                  actions: [{ type: 'pointerMove', x: Math.round(x), y: Math.round(y) }],
                },
              ],
            });
          },
          async setFiles(selector, files) {
            const found = await bidi.send<{ result: { sharedId?: string } }>('script.evaluate', {
              expression: `document.querySelector(${JSON.stringify(selector)})`,
              target: { context },
              awaitPromise: false,
              resultOwnership: 'root',
            });
            const sharedId = found.result.sharedId;
            if (!sharedId) throw new Error(`no element ${selector}`);
            await bidi.send('input.setFiles', { context, element: { sharedId }, files });
          },
          async navigate(to) {
            await bidi.send('browsingContext.navigate', { context, url: to, wait: 'complete' });
          },
          async reload() {
            await bidi.send('browsingContext.reload', { context, wait: 'complete' });
          },
          close: () => bidi.send('browsingContext.close', { context }).then(() => undefined),
        };
        await tab.navigate(url);
        return tab;
      },
      openExtensionPage: (path, options) => session.open(extensionPage(path), options),
      async tabIdOf(tab) {
        const url = await tab.evaluate<string>('location.href');
        // Any extension page can ask (LeadGuard sees the URLs of its platforms' tabs).
        const asker = await session.openExtensionPage('popup.html', { background: true });
        try {
          const ids = await asker.evaluate<number[]>(
            `browser.tabs.query({ url: ${JSON.stringify(url)} }).then((tabs) => tabs.map((t) => t.id))`,
          );
          if (ids.length !== 1) throw new Error(`${ids.length} tabs show ${url}`);
          return ids[0]!;
        } finally {
          await asker.close();
        }
      },
      async openToolbarPopup() {
        const opener = await session.openExtensionPage('popup.html', { background: true });
        const inPopup = (expression: string) => `(() => {
          const [view] = browser.extension.getViews({ type: 'popup' });
          if (!view) throw new Error('the toolbar popup is not open');
          return ((document) => ${expression})(view.document);
        })()`;
        try {
          await opener.evaluate('browser.browserAction.openPopup()');
          // The panel's page loads after openPopup resolves.
          const loaded = `browser.extension
            .getViews({ type: 'popup' })
            .some((v) => v.document.readyState === 'complete')`;
          const deadline = Date.now() + 10_000;
          while (!(await opener.evaluate<boolean>(loaded))) {
            if (Date.now() > deadline) throw new Error('the toolbar popup did not open in 10 s');
            await new Promise((ok) => setTimeout(ok, 100));
          }
        } catch (error) {
          await opener.close();
          throw error;
        }
        return {
          evaluate: (expression) => opener.evaluate(inPopup(expression)),
          async close() {
            await opener.evaluate(inPopup('document.defaultView.close()')).catch(() => undefined);
            await opener.close();
          },
        };
      },
      async close() {
        await bidi.send('browser.close').catch(() => undefined);
        ws.close();
        cleanup();
      },
    };
    return session;
  } catch (error) {
    cleanup();
    throw error;
  }
}
