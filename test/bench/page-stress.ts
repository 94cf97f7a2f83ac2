/**
 * The page benchmark's adversarial rows (issue 10): what a spammer or a busy page can make
 * LeadGuard do, measured in real Chromium from the page's timeline and a Chrome trace.
 *
 * - Long blocks: one comment of 100k / 1M characters of lead-gen text in one text node. Time from
 *   scan start to idle, the longest main-thread task in between, and whether the block is marked.
 *   mark.js marks the same block for the ratio.
 * - Rewrite churn: a page script rewrites the text of 20 lead-gen comments every animation frame
 *   for a few seconds (each one gets another lead-gen text: highlights and badges change) on a
 *   500-comment page (on the 5,000-comment page headless Chromium itself manages ~5 fps). Frames
 *   per second with and without LeadGuard, and the longest script task.
 * - Append churn: 50,000 comments appended, 100 per animation frame, to the 500-comment page.
 *   Main-thread busy time from the first append until LeadGuard is idle again, with and without.
 *
 * Pages are served through Playwright routes (no fixture files) under Douyin video URLs, so the
 * Douyin content script runs as on the real site.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { generatePage } from './page-gen';
import { tasksBetween, type Tracer, type TaskWindow } from './page-trace';

export interface LongBlockRun {
  chars: number;
  finished: boolean;
  /** scan-start → scan-idle, ms (or the cap when it did not finish). */
  scan: number;
  firstHighlight: number;
  longestTask: number;
  leadHighlights: number;
  busy: number;
}

export interface ChurnRun {
  fps: number;
  frames: number;
  seconds: number;
  longestScript: number;
  longest: number;
  busyScript: number;
}

export interface AppendRun {
  appended: number;
  /** First append → last append done (and, with LeadGuard, its scan idle), ms. */
  wall: number;
  busy: number;
  busyScript: number;
  longest: number;
  leadHighlights: number;
}

const pageCache = new Map<string, string>();

/** Serves generated HTML at `url` in this context (replacing an earlier route for it). */
async function serve(context: BrowserContext, url: string, html: () => string): Promise<void> {
  if (!pageCache.has(url)) pageCache.set(url, html());
  await context.unroute(url).catch(() => undefined);
  await context.route(url, (route) =>
    route.fulfill({
      status: 200,
      contentType: 'text/html; charset=utf-8',
      body: pageCache.get(url)!,
    }),
  );
}

const leadCount = (page: Page) =>
  page.evaluate(() => {
    const registry = (CSS as unknown as { highlights: Map<string, Set<Range>> }).highlights;
    return registry.get('leadguard-lead')?.size ?? 0;
  });

const markTime = (page: Page, name: string) =>
  page.evaluate((n) => performance.getEntriesByName(n)[0]?.startTime ?? NaN, name);

async function waitForMark(page: Page, name: string, after: number, timeout: number) {
  try {
    await page.waitForFunction(
      ([n, t]) =>
        performance.getEntriesByName(n as string).some((m) => m.startTime > (t as number)),
      [name, after] as const,
      { polling: 100, timeout },
    );
    return true;
  } catch {
    return false;
  }
}

async function closeAll(context: BrowserContext) {
  for (const p of context.pages()) await p.close({ runBeforeUnload: false }).catch(() => undefined);
}

/** One long lead-gen comment on a small page, scanned by LeadGuard. */
export async function longBlockRun(
  context: BrowserContext,
  tracer: Tracer,
  chars: number,
  capMs: number,
): Promise<LongBlockRun> {
  const id = chars >= 1_000_000 ? '7399999999999990002' : '7399999999999990001';
  const url = `https://www.douyin.com/video/${id}`;
  await serve(context, url, () => generatePage({ id, comments: 20, longComment: chars }).html);
  await closeAll(context);
  const page = await context.newPage();
  let finished = false;
  const { result, events } = await tracer.record(async () => {
    // A page holding 1M characters in one text node takes its time to load by itself (~35 s here):
    // the scan is timed from its own start, and waited for from the moment the HTML is in.
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 120_000 });
    finished = await waitForMark(page, 'leadguard-scan-idle', -1, capMs + 120_000);
    if (!finished) return null;
    await page.waitForTimeout(200);
    const start = await markTime(page, 'leadguard-scan-start');
    const idle = await markTime(page, 'leadguard-scan-idle');
    const first = await markTime(page, 'leadguard-first-highlight');
    return { scan: idle - start, first: first - start, leads: await leadCount(page) };
  });
  await page.close({ runBeforeUnload: false }).catch(() => undefined);
  const window = result
    ? tasksBetween(events, 'leadguard-scan-start', 'leadguard-scan-idle')
    : null;
  return {
    chars,
    finished,
    scan: result?.scan ?? capMs,
    firstHighlight: result?.first ?? NaN,
    longestTask: window?.longest?.duration ?? NaN,
    leadHighlights: result?.leads ?? 0,
    busy: window?.busy ?? NaN,
  };
}

/** mark.js on the same long comment, for the ratio; null when it ran past the cap. */
export async function longBlockMarkJs(
  context: BrowserContext,
  chars: number,
  phrases: string[],
  markJsPath: string,
  capMs: number,
): Promise<number | null> {
  const id = chars >= 1_000_000 ? '7399999999999990002' : '7399999999999990001';
  const url = `https://www.douyin.com/video/${id}`;
  await serve(context, url, () => generatePage({ id, comments: 20, longComment: chars }).html);
  await closeAll(context);
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'load', timeout: 180_000 });
  await page.addScriptTag({ path: markJsPath });
  const run = page.evaluate(
    (list) =>
      new Promise<number>((ok) => {
        setTimeout(() => {
          type MarkCtor = new (root: Element) => {
            mark(k: string[], o: Record<string, unknown>): void;
          };
          const Mark = (window as unknown as { Mark: MarkCtor }).Mark;
          const root = document.querySelector('[data-e2e="comment-item"] .C7LroK_h')!;
          const t0 = performance.now();
          new Mark(root).mark(list, {
            separateWordSearch: false,
            diacritics: false,
            done: () => ok(performance.now() - t0),
          });
        }, 0);
      }),
    phrases,
  );
  const capped = new Promise<null>((ok) => setTimeout(() => ok(null), capMs));
  const ms = await Promise.race([run.catch(() => null), capped]);
  await page.close({ runBeforeUnload: false }).catch(() => undefined);
  return ms;
}

const CHURN_COMMENTS = 500;
const appendUrl = 'https://www.douyin.com/video/7399999999999990003';
const appendPage = () => generatePage({ id: '7399999999999990003', comments: CHURN_COMMENTS }).html;
const rewriteUrl = 'https://www.douyin.com/video/7399999999999990004';
/** One comment in five is lead-gen, so 20 of them can be rewritten each frame. */
const rewritePage = () =>
  generatePage({ id: '7399999999999990004', comments: CHURN_COMMENTS, leadShare: 0.2 }).html;

/**
 * The churn page; a page script rewrites the text of `perFrame` comments every animation
 * frame for `seconds` (new text each time, as a live-updating list does), counting frames.
 */
export async function rewriteChurnRun(
  context: BrowserContext,
  tracer: Tracer | null,
  withExtension: boolean,
  seconds: number,
  perFrame = 20,
): Promise<ChurnRun> {
  await serve(context, rewriteUrl, rewritePage);
  await closeAll(context);
  const page = await context.newPage();
  await page.goto(rewriteUrl, { waitUntil: 'load', timeout: 60_000 });
  if (withExtension) await waitForMark(page, 'leadguard-scan-idle', -1, 60_000);
  await page.waitForTimeout(300);
  const churn = () =>
    page.evaluate(
      ([secs, n]) =>
        new Promise<number>((ok) => {
          const texts = [
            ...document.querySelectorAll(
              '[data-e2e="comment-item"][data-fixture="lead"] > div > .C7LroK_h .WFJiGxr7',
            ),
          ];
          const originals = texts.map((t) => t.textContent ?? '');
          let frame = 0;
          let next = 0;
          performance.mark('bench-churn-start');
          const t0 = performance.now();
          const step = () => {
            if (performance.now() - t0 >= (secs as number) * 1000) {
              performance.mark('bench-churn-end');
              ok(frame);
              return;
            }
            frame++;
            for (let k = 0; k < (n as number); k++) {
              const i = next++ % texts.length;
              // Replaced like a framework re-render: a new text node with another lead text.
              texts[i]!.textContent = `${originals[(i + frame) % texts.length]} ${frame}`;
            }
            requestAnimationFrame(step);
          };
          requestAnimationFrame(step);
        }),
      [seconds, perFrame] as const,
    );
  let frames: number;
  let window: TaskWindow | null = null;
  if (tracer) {
    const { result, events } = await tracer.record(churn);
    frames = result;
    window = tasksBetween(events, 'bench-churn-start', 'bench-churn-end');
  } else frames = await churn();
  await page.close({ runBeforeUnload: false }).catch(() => undefined);
  return {
    fps: frames / seconds,
    frames,
    seconds,
    longestScript: window?.longestScript?.duration ?? NaN,
    longest: window?.longest?.duration ?? NaN,
    busyScript: window?.busyScript ?? NaN,
  };
}

/**
 * The churn page; `total` more comments are appended, `batch` per animation frame (copies
 * of the page's 100-comment template with fresh ids and a varied text), then LeadGuard's scan is
 * awaited. Busy time is the renderer main thread's, from the first append to the end.
 */
export async function appendChurnRun(
  context: BrowserContext,
  tracer: Tracer,
  withExtension: boolean,
  total: number,
  capMs: number,
  batch = 100,
): Promise<AppendRun> {
  await serve(context, appendUrl, appendPage);
  await closeAll(context);
  const page = await context.newPage();
  await page.goto(appendUrl, { waitUntil: 'load', timeout: 60_000 });
  if (withExtension) await waitForMark(page, 'leadguard-scan-idle', -1, 60_000);
  await page.waitForTimeout(300);
  const { result, events } = await tracer.record(async () => {
    const t = await page.evaluate(
      ([count, size]) =>
        new Promise<{ t0: number; t1: number }>((ok) => {
          const list = document.querySelector('[data-e2e="comment-list"]')!;
          const template = document.getElementById('bench-more') as HTMLTemplateElement;
          let made = 0;
          performance.mark('bench-append-start');
          const t0 = performance.now();
          const step = () => {
            const fragment = document.createDocumentFragment();
            for (let k = 0; k < (size as number) && made < (count as number);) {
              const copy = template.content.cloneNode(true) as DocumentFragment;
              for (const item of copy.querySelectorAll('[data-e2e="comment-item"]')) {
                if (k >= (size as number) || made >= (count as number)) item.remove();
                else {
                  made++;
                  k++;
                  item.setAttribute('data-cid', `8${String(made).padStart(18, '0')}`);
                  item.querySelector('.WFJiGxr7 span span')?.append(` ${made}`);
                }
              }
              fragment.append(copy);
            }
            list.append(fragment);
            if (made < (count as number)) requestAnimationFrame(step);
            else {
              performance.mark('bench-append-done');
              ok({ t0, t1: performance.now() });
            }
          };
          requestAnimationFrame(step);
        }),
      [total, batch] as const,
    );
    if (withExtension) await waitForMark(page, 'leadguard-scan-idle', t.t1, capMs);
    await page.waitForTimeout(100);
    const end = await page.evaluate(() => {
      performance.mark('bench-append-end');
      return performance.now();
    });
    return { wall: end - t.t0, leads: await leadCount(page) };
  });
  await page.close({ runBeforeUnload: false }).catch(() => undefined);
  const window = tasksBetween(events, 'bench-append-start', 'bench-append-end');
  return {
    appended: total,
    wall: result.wall,
    busy: window?.busy ?? NaN,
    busyScript: window?.busyScript ?? NaN,
    longest: window?.longest?.duration ?? NaN,
    leadHighlights: result.leads,
  };
}
