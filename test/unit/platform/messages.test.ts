import { describe, expect, it } from 'vitest';
import type { Browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { onMessage, sendMessage, senderKind } from '../../../src/platform/messages';
import { readTabState, writeTabState } from '../../../src/platform/tab-state';

/** Senders as the browser describes them. */
const self = fakeBrowser.runtime.id;
const senders = {
  contentScript: { id: self, url: 'https://www.douyin.com/video/1', tab: { id: 4 } },
  optionsPage: { id: self, url: `chrome-extension://${self}/options.html`, tab: { id: 5 } },
  popup: { id: self, url: `chrome-extension://${self}/popup.html` },
  background: { id: self, origin: `chrome-extension://${self}` },
  otherExtension: { id: 'someone-else', url: 'chrome-extension://someone-else/x.html' },
  webPage: { url: 'https://evil.example/', tab: { id: 6 } },
} as unknown as Record<string, Browser.runtime.MessageSender>;

/** What a listener answers to an envelope from `sender`. */
async function deliver(envelope: unknown, sender: Browser.runtime.MessageSender) {
  const replies = await fakeBrowser.runtime.onMessage.trigger(envelope, sender);
  return (replies as unknown[]).find((r) => r !== undefined);
}

describe('the message protocol', () => {
  it('delivers a typed request and parses the reply', async () => {
    const stop = onMessage({ pageHello: ({ platform }) => ({ paused: platform === 'weibo' }) });
    const reply = await deliver(
      { type: 'pageHello', data: { url: 'https://weibo.com/u/1', platform: 'weibo' } },
      senders.contentScript!,
    );
    expect(reply).toEqual({ ok: true, data: { paused: true } });
    stop();
  });

  it.each([
    ['contentScript', 'tab'],
    ['optionsPage', 'extension'],
    ['popup', 'extension'],
    ['background', 'extension'],
    ['otherExtension', null],
    ['webPage', null],
  ])('tells a %s sender apart (%s)', (name, kind) => {
    expect(senderKind(senders[name]!)).toBe(kind);
  });

  it.each([
    'importList',
    'resetList',
    'setPaused',
    'getListInfo',
    'getTabState',
    'addFeed',
    'putLocalEntries',
    'getReportSettings',
    'setReportSettings',
    'retryReport',
    'cancelReport',
  ] as const)(
    'answers %s from a content script with an error, without calling the handler',
    async (type) => {
      const calls: string[] = [];
      const handler = () => {
        calls.push(type);
        return {} as never;
      };
      const stop = onMessage({ [type]: handler });
      const data = {
        importList: { staged: '6f1e7c52-2a3b-4c8d-9e0f-1a2b3c4d5e6f' },
        resetList: {},
        setPaused: { platform: 'douyin', paused: true },
        getListInfo: {},
        getTabState: { tabId: 4 },
        addFeed: { url: 'https://feed.example/', keys: [] },
        putLocalEntries: { entries: [{}] },
        getReportSettings: {},
        setReportSettings: { serverUrl: 'https://evil.example/' },
        retryReport: { id: '6f1e7c52-2a3b-4c8d-9e0f-1a2b3c4d5e6f' },
        cancelReport: { id: '6f1e7c52-2a3b-4c8d-9e0f-1a2b3c4d5e6f' },
      }[type];
      const reply = await deliver({ type, data }, senders.contentScript!);
      expect(reply).toEqual({
        ok: false,
        error: `${type} is accepted only from LeadGuard's own pages`,
      });
      for (const sender of [senders.otherExtension!, senders.webPage!]) {
        expect(await deliver({ type, data }, sender)).toMatchObject({ ok: false });
      }
      expect(calls).toEqual([]);
      expect(await deliver({ type, data }, senders.optionsPage!)).toMatchObject({ ok: true });
      expect(calls).toEqual([type]);
      stop();
    },
  );

  it('takes page reports only from content scripts', async () => {
    const stop = onMessage({ pageReport: () => ({}) });
    const data = { url: 'https://www.douyin.com/', leads: 9, mentions: 0 };
    expect(await deliver({ type: 'pageReport', data }, senders.optionsPage!)).toMatchObject({
      ok: false,
    });
    expect(await deliver({ type: 'pageReport', data }, senders.contentScript!)).toMatchObject({
      ok: true,
    });
    stop();
  });

  it('files reports only from content scripts', async () => {
    let calls = 0;
    const stop = onMessage({
      fileReport: () => {
        calls += 1;
        return {} as never;
      },
    });
    for (const sender of [senders.optionsPage!, senders.otherExtension!, senders.webPage!]) {
      expect(await deliver({ type: 'fileReport', data: {} }, sender)).toMatchObject({
        ok: false,
        error: 'fileReport is accepted only from LeadGuard content scripts',
      });
    }
    expect(calls).toBe(0);
    stop();
  });

  it('lets a tab change only the disclosure and the evidence kinds, never the server or token', async () => {
    const seen: unknown[] = [];
    const stop = onMessage({
      setReportPrefs: (prefs) => {
        seen.push(prefs);
        return { ...prefs, configured: true };
      },
    });
    const evidence = { screenshot: false, snippet: true, mhtml: false };
    const reply = await deliver(
      {
        type: 'setReportPrefs',
        data: {
          disclosureAccepted: true,
          evidence,
          serverUrl: 'https://evil.example/',
          token: 'x',
        },
      },
      senders.contentScript!,
    );
    expect(reply).toMatchObject({ ok: true });
    expect(seen).toEqual([{ disclosureAccepted: true, evidence }]);
    stop();
  });

  it('rejects a malformed request before it leaves', async () => {
    await expect(
      sendMessage('pageHello', { url: 'not a url', platform: 'weibo' }),
    ).rejects.toThrow();
  });

  it('answers a malformed envelope with an error instead of calling the handler', async () => {
    let called = false;
    const stop = onMessage({
      getTabState: () => {
        called = true;
        return null;
      },
    });
    const reply = await deliver({ type: 'getTabState', data: { tabId: 'x' } }, senders.popup!);
    expect(reply).toMatchObject({ ok: false });
    expect(called).toBe(false);
    stop();
  });

  it('turns a handler failure into an error reply for the sender', async () => {
    const stop = onMessage({
      getTabState: () => {
        throw new Error('boom');
      },
    });
    const reply = await deliver({ type: 'getTabState', data: { tabId: 1 } }, senders.popup!);
    expect(reply).toEqual({ ok: false, error: 'boom' });
    stop();
  });
});

describe('tab state', () => {
  it('keeps what a tab reported and counts leads', async () => {
    await writeTabState(
      7,
      { url: 'https://www.douyin.com/', platform: 'douyin', leads: 3 },
      () => 5,
    );
    expect(await readTabState(7)).toEqual({
      url: 'https://www.douyin.com/',
      platform: 'douyin',
      leads: 3,
      mentions: 0,
      paused: false,
      fallback: null,
      updatedAt: 5,
    });
    expect(await readTabState(8)).toBeNull();
  });
});
