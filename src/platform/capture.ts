/**
 * Evidence the background captures from a tab: a PNG of the visible tab (captureVisibleTab: the
 * content script has outlined the reported block before asking) and, on Chromium when the user
 * enabled it and granted the optional `pageCapture` permission, an MHTML snapshot of the page.
 * Each returns the bytes or the reason in words it could not, which the report records.
 */
import { browser } from 'wxt/browser';
import { base64ToBytes } from '../core/bytes';
import { evidenceFiles } from '../core/report';
import { messageOf } from './list-store';

export type Captured = { bytes: Uint8Array } | { reason: string };

export async function captureScreenshot(tab: {
  windowId?: number;
  active?: boolean;
}): Promise<Captured> {
  if (tab.windowId === undefined) return { reason: '找不到举报所在的窗口' };
  if (tab.active === false) return { reason: '举报所在的标签页不在前台，无法截图' };
  try {
    const url = await browser.tabs.captureVisibleTab(tab.windowId, { format: 'png' });
    const comma = url.indexOf(',');
    if (!url.startsWith('data:image/png;base64,') || comma < 0)
      return { reason: '浏览器返回的截图不是 PNG' };
    const bytes = base64ToBytes(url.slice(comma + 1));
    if (bytes.byteLength > evidenceFiles.screenshot.maxBytes)
      return { reason: `截图超过 ${evidenceFiles.screenshot.maxBytes} 字节的上限` };
    return { bytes };
  } catch (error) {
    const message = messageOf(error);
    // Without <all_urls> Chromium captures only after a gesture on LeadGuard's own UI (activeTab):
    // the toolbar button, the context menu or the keyboard shortcut.
    if (/activeTab|all_urls/.test(message))
      return {
        reason: '浏览器未授权截图：从卡片举报需要在选项页授予“截图”权限，或用右键菜单、快捷键举报',
      };
    return { reason: `截图失败：${message}` };
  }
}

export async function captureMhtml(tabId: number): Promise<Captured> {
  const pageCapture = (
    browser as unknown as {
      pageCapture?: { saveAsMHTML(details: { tabId: number }): Promise<Blob | undefined> };
    }
  ).pageCapture;
  if (!pageCapture) {
    const granted = await browser.permissions
      .contains({ permissions: ['pageCapture'] as never })
      .catch(() => false);
    return {
      reason: granted
        ? '此浏览器不支持保存 MHTML'
        : '未授予保存网页（pageCapture）权限：在选项页开启 MHTML 证据时授予',
    };
  }
  try {
    const blob = await pageCapture.saveAsMHTML({ tabId });
    if (!blob) return { reason: '浏览器没有返回 MHTML' };
    if (blob.size > evidenceFiles.mhtml.maxBytes)
      return { reason: `MHTML 超过 ${evidenceFiles.mhtml.maxBytes} 字节的上限` };
    return { bytes: new Uint8Array(await blob.arrayBuffer()) };
  } catch (error) {
    return { reason: `保存 MHTML 失败：${messageOf(error)}` };
  }
}
