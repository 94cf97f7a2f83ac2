import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { onMessage, sendMessage } from '../../../src/platform/messages';
import { readTabState, writeTabState } from '../../../src/platform/tab-state';

describe('the message protocol', () => {
  it('delivers a typed request and parses the reply', async () => {
    const stop = onMessage({ pageHello: ({ platform }) => ({ paused: platform === 'weibo' }) });
    await expect(
      sendMessage('pageHello', { url: 'https://weibo.com/u/1', platform: 'weibo' }),
    ).resolves.toEqual({ paused: true });
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
    const reply = await fakeBrowser.runtime.sendMessage({
      type: 'getTabState',
      data: { tabId: 'x' },
    });
    expect(reply).toMatchObject({ ok: false });
    expect(called).toBe(false);
    stop();
  });

  it('turns a handler failure into a rejected promise for the sender', async () => {
    const stop = onMessage({
      getTabState: () => {
        throw new Error('boom');
      },
    });
    await expect(sendMessage('getTabState', { tabId: 1 })).rejects.toThrow(/boom/);
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
      updatedAt: 5,
    });
    expect(await readTabState(8)).toBeNull();
  });
});
