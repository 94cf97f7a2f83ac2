/**
 * Driving a report as a person does: hover a highlighted lead, click 举报 on its card (through
 * the pointer, at the button's place on screen), confirm the first report's disclosure; and
 * reading the history page.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { inContentScript, type ExtensionSession } from './harness';

/** The centre of a button inside one of LeadGuard's shadow roots, or null if it isn't shown. */
function buttonCentre(page: Page, host: string, selector: string) {
  return inContentScript<{ x: number; y: number } | null>(
    page,
    `(() => {
      const host = document.querySelector(${JSON.stringify(host)});
      const root = host && chrome.dom.openOrClosedShadowRoot(host);
      const button = root && root.querySelector(${JSON.stringify(selector)});
      if (!button || button.closest('[hidden]')) return null;
      const r = button.getBoundingClientRect();
      return r.width ? { x: r.x + r.width / 2, y: r.y + r.height / 2 } : null;
    })()`,
  );
}

/** Hovers the lead highlight whose text is `text` and clicks 举报 on its card. */
export async function clickReportOnLead(page: Page, text: string): Promise<void> {
  const spot = await page.evaluate((t) => {
    const h = (CSS as unknown as { highlights: Map<string, Set<Range>> }).highlights.get(
      'leadguard-lead',
    );
    const range = [...(h ?? [])].find((r) => r.toString() === t);
    if (!range) return null;
    range.startContainer.parentElement?.scrollIntoView({ block: 'center' });
    const r = range.getClientRects()[0]!;
    return { x: r.x + Math.min(6, r.width / 2), y: r.y + r.height / 2 };
  }, text);
  if (!spot) throw new Error(`no lead highlight reads ${text}`);
  await page.mouse.move(spot.x, spot.y);
  let button: { x: number; y: number } | null = null;
  await expect
    .poll(async () => (button = await buttonCentre(page, 'leadguard-card', 'button.report')), {
      timeout: 10_000,
    })
    .not.toBeNull();
  await page.mouse.move(button!.x, button!.y);
  await page.mouse.click(button!.x, button!.y);
}

/** The first report's disclosure: its text, or null when it isn't shown. */
export function disclosureText(page: Page): Promise<string | null> {
  return inContentScript<string | null>(
    page,
    `(() => {
      const host = document.querySelector('leadguard-disclosure');
      const root = host && chrome.dom.openOrClosedShadowRoot(host);
      return root ? root.querySelector('.panel').innerText : null;
    })()`,
  );
}

export async function acceptDisclosure(page: Page): Promise<void> {
  const send = await buttonCentre(page, 'leadguard-disclosure', 'button.send');
  if (!send) throw new Error('the disclosure is not shown');
  await page.mouse.click(send.x, send.y);
}

/** The last notice LeadGuard showed on the page. */
export function noticeText(page: Page): Promise<string | null> {
  return inContentScript<string | null>(
    page,
    `(() => {
      const hosts = document.querySelectorAll('leadguard-notice');
      const host = hosts[hosts.length - 1];
      const root = host && chrome.dom.openOrClosedShadowRoot(host);
      return root ? root.textContent : null;
    })()`,
  );
}

/**
 * Grants activeTab on the page's tab as a click on LeadGuard's toolbar button does (CDP
 * Extensions.triggerAction; needs --enable-unsafe-extension-debugging).
 */
export async function clickToolbarButton(session: ExtensionSession, page: Page): Promise<void> {
  const browser = session.context.browser();
  if (!browser) throw new Error('no browser CDP session');
  const cdp = await browser.newBrowserCDPSession();
  try {
    const { targetInfos } = (await cdp.send('Target.getTargets', {
      filter: [{ type: 'tab' }],
    })) as { targetInfos: { targetId: string; url: string }[] };
    const tab = targetInfos.find((t) => t.url === page.url());
    if (!tab) throw new Error(`no tab target for ${page.url()}`);
    await cdp.send('Extensions.triggerAction', { id: session.extensionId, targetId: tab.targetId });
  } finally {
    await cdp.detach();
  }
  // Headless Chromium opens the popup out of Playwright's sight (or not at all); close it if seen.
  await page.waitForTimeout(300);
  for (const p of session.context.pages()) if (p.url().includes('/popup.html')) await p.close();
  await page.bringToFront();
}

/** The history page's rows: id, status and the reason shown. */
export function historyRows(history: Page) {
  return history.evaluate(() =>
    [...document.querySelectorAll<HTMLTableRowElement>('#reports tbody tr')].map((tr) => ({
      id: tr.dataset.id!,
      status: tr.dataset.status!,
      reason: tr.querySelector('.reason')?.textContent ?? null,
      receipt: tr.querySelector('.receipt')?.textContent ?? null,
      serverId: tr.children[6]?.querySelector('code')?.textContent ?? null,
    })),
  );
}
