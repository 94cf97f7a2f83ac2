/**
 * `npm run bench:page`: LeadGuard on a 5,000-comment Douyin video page (~1 MB of text) in real
 * Chromium, side by side with mark.js highlighting the default list's phrases on the same page.
 *
 * - Builds the extension (`npx wxt build`) when .output/chrome-mv3 is missing or older than the
 *   sources, writes the generated page to test/fixtures/douyin/video/<BENCH_ID>.html (deleted at
 *   the end; .gitignore'd) and serves it with the demo server (127.0.0.1 only; Chromium maps the
 *   platform hostnames there).
 * - LeadGuard, from the page's performance timeline (src/page/scanner.ts): time to first highlight,
 *   full scan (scan-start → first scan-idle), CPU in `leadguard-slice` measures, the longest main
 *   thread task during the scan, and the cost of 100 appended comments. One warm-up load, then
 *   RUNS fresh loads; medians are reported.
 * - Long tasks are read twice: with the Long Tasks API (observer in the page head) and from a
 *   Chrome trace of each run (renderer main thread, `ThreadControllerImpl::RunTask`). Chromium
 *   does not report rendering tasks, nor tasks that run only content-script microtasks, to the
 *   page's Long Tasks API, so the targets use the trace.
 * - mark.js in a second Chromium without the extension: `new Mark(commentList).mark(phrases)`;
 *   as many of RUNS runs as fit in the time budget (it takes about a minute per run here).
 * - `--profile` builds an unminified copy of the extension in a temp folder, loads the page once
 *   more under the CDP sampling profiler and prints where the extension's time goes by function.
 * - Adversarial rows (test/bench/page-stress.ts): one comment of 100k and of 1M characters of
 *   lead-gen text, 20 comments rewritten every animation frame, 50,000 comments appended.
 *   `--rows=scan,long,churn` picks sections (default: all).
 *
 * Environment: BENCH_COMMENTS (default 5000), BENCH_RUNS (default 3), BENCH_MARKJS_RUNS (default
 * BENCH_RUNS; 0 skips mark.js), BENCH_PROFILE_OUT (a folder for --profile's raw profiles),
 * CHROME_PATH, and BENCH_EXTENSION_DIR to measure another build (an older commit's, for
 * before/after figures).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { build as esbuild } from 'esbuild';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import {
  EXTENSION_ID,
  chromeBuildDir,
  chromiumArgs,
  findChromium,
  freshProfileDir,
  missingChromiumMessage,
} from '../../src/cli/chromium';
import { fixturesDir, startDemoServer, type DemoServer } from '../../src/cli/demo-server';
import { defaultList } from '../../src/core/default-list';
import { generatePage } from './page-gen';
import {
  appendChurnRun,
  longBlockMarkJs,
  longBlockRun,
  rewriteChurnRun,
  type AppendRun,
  type ChurnRun,
  type LongBlockRun,
} from './page-stress';
import { Tracer, tasksBetween, type TaskInfo, type TaskWindow } from './page-trace';

const ROOT = resolve(import.meta.dirname, '../..');
const BENCH_ID = '7399999999999999999';
const FIXTURE = join(fixturesDir, 'douyin', 'video', `${BENCH_ID}.html`);
const PAGE_URL = `https://www.douyin.com/video/${BENCH_ID}`;
const COMMENTS = Number(process.env.BENCH_COMMENTS ?? 5_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** mark.js takes about a minute and a half a run: BENCH_MARKJS_RUNS=0 skips it while profiling. */
const MARKJS_RUNS = Number(process.env.BENCH_MARKJS_RUNS ?? RUNS);
const APPENDED = 100;
const PROFILE = process.argv.includes('--profile');
const ROWS = new Set(
  (process.argv.find((a) => a.startsWith('--rows='))?.slice('--rows='.length) ?? 'scan,long,churn')
    .split(',')
    .filter(Boolean),
);
/** Long blocks: characters, and how long a scan may take before it counts as not finishing. */
const LONG_BLOCKS = [100_000, 1_000_000];
const LONG_CAP_MS = 90_000;
const CHURN_SECONDS = 5;
const APPENDED_CHURN = 50_000;
const APPEND_CAP_MS = 240_000;
const APPEND_BATCH = 500;
/** mark.js runs stop once another one would end after this (ms since start). */
const SOFT_BUDGET_MS = 4.6 * 60_000;
/** The bench stops itself (and cleans up) if it runs past this. */
const DEADLINE_MS =
  ((ROWS.has('scan') ? (PROFILE ? 7 : 6) : 0) +
    (ROWS.has('long') ? 10 : 0) +
    (ROWS.has('churn') ? 16 : 0)) *
  60_000;
const MARK_JS = join(ROOT, 'node_modules/mark.js/dist/mark.min.js');

const targets = {
  longTaskMs: 50,
  scanMs: 250,
  appendMs: 10,
  speedup: 3,
  overFloor: 2,
  modelShare: 0.1,
};

const began = performance.now();
const elapsed = () => performance.now() - began;

// ---------------------------------------------------------------------------------------------
// Cleanup: the generated fixture, browsers, the server and temp folders go whatever happens.

const cleanups: (() => unknown)[] = [];
let cleaning: Promise<void> | null = null;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch {
        // Best effort: the rest still runs.
      }
    }
  })();
  return cleaning;
}
const abort = (why: string, code: number) => {
  console.error(`\n[bench:page] ${why}; cleaning up.`);
  void cleanup().finally(() => process.exit(code));
};
process.on('SIGINT', () => abort('interrupted', 130));
process.on('SIGTERM', () => abort('terminated', 143));
setTimeout(() => abort(`still running after ${DEADLINE_MS / 60_000} min`, 2), DEADLINE_MS).unref();

const say = (text: string) => console.log(`[bench:page] ${text}`);

// ---------------------------------------------------------------------------------------------
// Build

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

function wxtBuild(args: string[] = []): void {
  const built = spawnSync('npx', ['wxt', 'build', ...args], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0) throw new Error(`wxt build failed (exit ${built.status})`);
}

function ensureBuilt(): void {
  if (process.env.BENCH_EXTENSION_DIR) {
    say(`using the build in ${process.env.BENCH_EXTENSION_DIR} (BENCH_EXTENSION_DIR)`);
    return;
  }
  const manifest = join(chromeBuildDir, 'manifest.json');
  const sources = Math.max(
    ...['src', 'entrypoints', 'public', 'wxt.config.ts', 'package.json'].map((p) =>
      newestMtime(join(ROOT, p)),
    ),
  );
  if (existsSync(manifest) && statSync(manifest).mtimeMs >= sources) {
    say(`using the build in ${relative(ROOT, chromeBuildDir)} (newer than the sources)`);
    return;
  }
  say('building the extension (npx wxt build)…');
  wxtBuild();
}

/** An unminified build in a temp folder, so profiles name the functions (--profile). */
function buildUnminified(): string {
  const dir = mkdtempSync(join(tmpdir(), 'leadguard-bench-build-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const config = join(dir, 'wxt.config.ts');
  writeFileSync(
    config,
    `import base from ${JSON.stringify(join(ROOT, 'wxt.config.ts'))};\n` +
      `export default { ...base, outDir: ${JSON.stringify(join(dir, 'out'))}, ` +
      `vite: () => ({ build: { minify: false } }) };\n`,
  );
  say('building an unminified copy for the profile…');
  wxtBuild(['-c', config]);
  return join(dir, 'out', 'chrome-mv3');
}

// ---------------------------------------------------------------------------------------------
// Browsers

async function launch(
  server: DemoServer,
  extension: 'none' | 'built' | string,
): Promise<BrowserContext> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(missingChromiumMessage);
  const profile = freshProfileDir();
  cleanups.push(() => rmSync(profile, { recursive: true, force: true }));
  const dir = extension === 'built' ? process.env.BENCH_EXTENSION_DIR : extension;
  const args = chromiumArgs({
    fixturePort: server.port,
    ...(extension !== 'none' && dir ? { extensionDir: dir } : {}),
  }).filter(
    (a) => extension !== 'none' || !/^--(load-extension|disable-extensions-except)=/.test(a),
  );
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args,
    ignoreHTTPSErrors: true,
    locale: 'zh-CN',
    viewport: { width: 1280, height: 900 },
  });
  cleanups.push(() => context.close());
  // tsx compiles with esbuild's keepNames, which wraps functions inside page.evaluate callbacks
  // in `__name(…)`: give the page that helper.
  await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  if (extension !== 'none') {
    const worker =
      context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://')) ??
      (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
    const id = new URL(worker.url()).host;
    if (id !== EXTENSION_ID) throw new Error(`loaded extension ${id}, expected ${EXTENSION_ID}`);
  }
  return context;
}

/** A new tab on the bench page, loaded; the context's other tabs are closed first. */
async function openBenchPage(context: BrowserContext): Promise<Page> {
  for (const p of context.pages()) await p.close();
  const page = await context.newPage();
  await page.goto(PAGE_URL, { waitUntil: 'load', timeout: 60_000 });
  return page;
}

const waitForScanIdle = (page: Page, after = -1) =>
  page.waitForFunction(
    (t) => performance.getEntriesByName('leadguard-scan-idle').some((m) => m.startTime > t),
    after,
    { polling: 50, timeout: 60_000 },
  );

/** Long Task entries arrive asynchronously after their task ends. */
const settle = (page: Page) => page.waitForTimeout(150);

// ---------------------------------------------------------------------------------------------
// What the page knows

interface Span {
  start: number;
  duration: number;
}

interface Coverage {
  /** Blocks labelled lead, and how many hold a lead highlight of their own. */
  leads: number;
  leadsFound: number;
  /** Labelled warnings/victims/questions, and unlabelled everyday comments, marked as leads. */
  benignAsLead: number;
  plainAsLead: number;
  /** Unlabelled everyday comments with any highlight. */
  plainMarked: number;
  /** The first few labelled leads not highlighted as leads (their text, cut), to look into. */
  missed: string[];
}

interface Timeline {
  scanStart: Span[];
  firstHighlight: Span[];
  idle: Span[];
  slices: Span[];
  longTasks: Span[];
  loadEnd: number;
  highlights: { lead: number; mention: number };
  badges: number;
  coverage: Coverage;
}

/** Reads LeadGuard's marks, the Long Tasks seen so far and what is highlighted. */
function readTimeline(page: Page): Promise<Timeline> {
  return page.evaluate(() => {
    const spans = (name: string) =>
      performance.getEntriesByName(name).map((e) => ({ start: e.startTime, duration: e.duration }));
    const registry = (CSS as unknown as { highlights: Map<string, Set<Range>> }).highlights;
    const lead = registry.get('leadguard-lead') ?? new Set<Range>();
    const mention = registry.get('leadguard-mention') ?? new Set<Range>();
    const blockOf = (r: Range) => {
      const n = r.startContainer;
      const el = n.nodeType === 1 ? (n as Element) : n.parentElement;
      return el?.closest('[data-e2e="comment-item"], [data-e2e="video-desc"]') ?? null;
    };
    const leadBlocks = new Set([...lead].map(blockOf));
    const markedBlocks = new Set([...lead, ...mention].map(blockOf));
    const labelled = [...document.querySelectorAll('[data-fixture="lead"]')];
    const benign = [...document.querySelectorAll('[data-fixture="benign"]')];
    const plain = [...document.querySelectorAll('[data-e2e="comment-item"]:not([data-fixture])')];
    const nav = performance.getEntriesByType('navigation')[0] as
      PerformanceNavigationTiming | undefined;
    return {
      scanStart: spans('leadguard-scan-start'),
      firstHighlight: spans('leadguard-first-highlight'),
      idle: spans('leadguard-scan-idle'),
      slices: spans('leadguard-slice'),
      longTasks: ((window as unknown as { __benchLongTasks?: Span[] }).__benchLongTasks ?? []).map(
        (t) => ({ start: t.start, duration: t.duration }),
      ),
      loadEnd: nav?.loadEventEnd ?? 0,
      highlights: { lead: lead.size, mention: mention.size },
      badges: document.querySelectorAll('leadguard-badge').length,
      coverage: {
        leads: labelled.length,
        leadsFound: labelled.filter((e) => leadBlocks.has(e)).length,
        benignAsLead: benign.filter((e) => leadBlocks.has(e)).length,
        plainAsLead: plain.filter((e) => leadBlocks.has(e)).length,
        plainMarked: plain.filter((e) => markedBlocks.has(e)).length,
        missed: labelled
          .filter((e) => !leadBlocks.has(e))
          .slice(0, 5)
          .map((e) => (e.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 120)),
      },
    };
  });
}

const overlaps = (t: Span, from: number, to: number) => t.start < to && t.start + t.duration > from;
const longest = (tasks: Span[], from: number, to: number) =>
  Math.max(0, ...tasks.filter((t) => overlaps(t, from, to)).map((t) => t.duration));
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

// ---------------------------------------------------------------------------------------------
// LeadGuard

interface LeadGuardRun {
  firstFromStart: number;
  firstFromNav: number;
  scanStartFromLoad: number;
  firstSliceAfter: number;
  scan: number;
  sliceCpu: number;
  slices: number;
  longestSlice: number;
  /** Long Tasks API, overlapping the scan. */
  longTaskApi: number;
  /** Chrome trace, overlapping the scan / the append. */
  scanTasks: TaskWindow | null;
  appendTasks: TaskWindow | null;
  appendCpu: number;
  appendWall: number;
  appendSlices: number;
  after: Timeline;
}

async function leadGuardLoad(context: BrowserContext): Promise<LeadGuardRun> {
  const page = await openBenchPage(context);
  await waitForScanIdle(page);
  await settle(page);
  const before = await readTimeline(page);
  const start = before.scanStart[0]!.start;
  const idle = before.idle.find((m) => m.start >= start)!.start;
  const first = before.firstHighlight[0]?.start ?? NaN;
  const scanSlices = before.slices.filter((s) => s.start >= start && s.start <= idle);

  // 100 more comments, as one infinite-scroll page; the scanner sees them through its observer.
  const appendedAt = await page.evaluate(() => {
    const list = document.querySelector('[data-e2e="comment-list"]')!;
    const more = document.getElementById('bench-more') as HTMLTemplateElement;
    performance.mark('bench-append');
    const t0 = performance.now();
    list.appendChild(more.content.cloneNode(true));
    return { t0, t1: performance.now() };
  });
  await waitForScanIdle(page, appendedAt.t0);
  await settle(page);
  const after = await readTimeline(page);
  const idle2 = after.idle.find((m) => m.start > appendedAt.t0)!.start;
  const appendSlices = after.slices.filter((s) => s.start >= appendedAt.t0);
  await page.close();
  return {
    firstFromStart: first - start,
    firstFromNav: first,
    scanStartFromLoad: start - before.loadEnd,
    firstSliceAfter: (scanSlices[0]?.start ?? NaN) - start,
    scan: idle - start,
    sliceCpu: sum(scanSlices.map((s) => s.duration)),
    slices: scanSlices.length,
    longestSlice: Math.max(0, ...scanSlices.map((s) => s.duration)),
    longTaskApi: longest(before.longTasks, start, idle),
    scanTasks: null,
    appendTasks: null,
    appendCpu: sum(appendSlices.map((s) => s.duration)),
    appendWall: idle2 - appendedAt.t1,
    appendSlices: appendSlices.length,
    after,
  };
}

async function leadGuardRun(context: BrowserContext, tracer: Tracer): Promise<LeadGuardRun> {
  const { result, events } = await tracer.record(() => leadGuardLoad(context));
  result.scanTasks = tasksBetween(events, 'leadguard-scan-start', 'leadguard-scan-idle');
  result.appendTasks = tasksBetween(events, 'bench-append', 'leadguard-scan-idle');
  return result;
}

// ---------------------------------------------------------------------------------------------
// mark.js

interface MarkJsRun {
  total: number;
  longTask: number;
  matches: number;
}

async function markJsRun(context: BrowserContext, phrases: string[]): Promise<MarkJsRun> {
  const page = await openBenchPage(context);
  await page.addScriptTag({ path: MARK_JS });
  // Run in a task of its own (not inside the evaluate), as a page script would.
  const r = await page.evaluate(
    (list) =>
      new Promise<{ t0: number; t1: number; matches: number }>((ok) => {
        setTimeout(() => {
          type MarkCtor = new (root: Element) => {
            mark(k: string[], o: Record<string, unknown>): void;
          };
          const Mark = (window as unknown as { Mark: MarkCtor }).Mark;
          const root = document.querySelector('[data-e2e="comment-list"]') ?? document.body;
          const t0 = performance.now();
          new Mark(root).mark(list, {
            separateWordSearch: false,
            diacritics: false,
            done: (matches: number) => ok({ t0, t1: performance.now(), matches }),
          });
        }, 0);
      }),
    phrases,
  );
  await settle(page);
  const tasks = await page.evaluate(
    () => (window as unknown as { __benchLongTasks?: Span[] }).__benchLongTasks ?? [],
  );
  await page.close();
  return { total: r.t1 - r.t0, longTask: longest(tasks, r.t0, r.t1), matches: r.matches };
}

interface EngineRun {
  blocks: number;
  /** Distinct author names, assessed once each as the scan does. */
  names: number;
  chars: number;
  /** The first pass, while the JIT compiles the engine (the page's scan pays this too). */
  coldMs: number;
  hasModel: boolean;
  assessMs: number;
  assessNoModelMs: number;
}

/**
 * The engine alone in the same page (no extension): `assess` over the texts of the blocks the scan
 * reads, with the shipped list and without its model (test/bench/engine-in-page.ts).
 */
async function engineRun(context: BrowserContext): Promise<EngineRun> {
  const bundle = await esbuild({
    entryPoints: [join(ROOT, 'test/bench/engine-in-page.ts')],
    bundle: true,
    format: 'iife',
    write: false,
    platform: 'browser',
    target: 'es2022',
    minify: true,
    logLevel: 'silent',
  });
  const page = await openBenchPage(context);
  await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
  const r = await page.evaluate(() =>
    (window as unknown as { leadguardEngine: { run(): EngineRun } }).leadguardEngine.run(),
  );
  await page.close();
  return r;
}

// ---------------------------------------------------------------------------------------------
// Profile (--profile): where the extension's time goes during one load, by function.

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

async function profileRun(context: BrowserContext): Promise<void> {
  await leadGuardLoad(context); // warm-up, as for the measured runs
  for (const p of context.pages()) await p.close();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  const stop = async () =>
    ((await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile }).profile;
  await cdp.send('Profiler.start');
  await page.goto(PAGE_URL, { waitUntil: 'load', timeout: 60_000 });
  await waitForScanIdle(page);
  const load = await stop();
  await cdp.send('Profiler.start');
  const t0 = await page.evaluate(() => {
    const list = document.querySelector('[data-e2e="comment-list"]')!;
    const t = performance.now();
    list.appendChild(
      (document.getElementById('bench-more') as HTMLTemplateElement).content.cloneNode(true),
    );
    return t;
  });
  await waitForScanIdle(page, t0);
  const append = await stop();
  await page.close();
  // For DevTools (Performance → load profile) or a script: BENCH_PROFILE_OUT=dir.
  const out = process.env.BENCH_PROFILE_OUT;
  if (out) {
    writeFileSync(join(out, 'load.cpuprofile'), JSON.stringify(load));
    writeFileSync(join(out, 'append.cpuprofile'), JSON.stringify(append));
    say(`profiles written to ${out}`);
  }
  printProfile('load and scan', load, Number(process.env.BENCH_PROFILE_ROWS ?? 15), 22);
  printProfile(`+${APPENDED} comments`, append, 8, 12);
}

function printProfile(what: string, profile: CpuProfile, selfRows: number, totalRows: number) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfMs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const ours = (n: ProfileNode) => n.callFrame.url.startsWith('chrome-extension://');
  const name = (n: ProfileNode) =>
    `${n.callFrame.functionName || '(anonymous)'} (${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber + 1})`;
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let extension = 0;
  const engine = new Map<string, number>();
  for (const n of profile.nodes) {
    const ms = selfMs.get(n.id) ?? 0;
    if (!ms) continue;
    // V8's own rows ((garbage collector), (program)) and the page's scripts, for scale.
    const where = ours(n) ? '' : n.callFrame.url ? '(page scripts)' : n.callFrame.functionName;
    if (where) engine.set(where, (engine.get(where) ?? 0) + ms);
    // Native work (querySelectorAll, new URL…) counts as self time of the calling function.
    if (ours(n)) {
      extension += ms;
      self.set(name(n), (self.get(name(n)) ?? 0) + ms);
    }
    const seen = new Set<string>();
    for (let id: number | undefined = n.id; id !== undefined; id = parent.get(id)) {
      const node = byId.get(id)!;
      if (!ours(node) || seen.has(name(node))) continue;
      seen.add(name(node));
      total.set(name(node), (total.get(name(node)) ?? 0) + ms);
    }
  }
  const top = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `  ${v.toFixed(1).padStart(8)} ms  ${k}`)
      .join('\n');
  console.log(
    `\nCPU profile, ${what} (unminified build; extension scripts ${extension.toFixed(0)} ms in all):\n` +
      `self time\n${top(self, selfRows)}\ntotal time (with callees)\n${top(total, totalRows)}\n` +
      `outside the extension's functions\n${top(engine, 5)}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Report

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(1)} ms` : 'n/a');
const taskText = (t: TaskInfo | null | undefined) =>
  t ? `${ms(t.duration)} ${t.kind} @+${t.start.toFixed(0)}` : 'none';

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => width(r[i] ?? ''))));
  return rows
    .map((r, k) => {
      const line = r
        .map((c, i) => c + ' '.repeat(widths[i]! - width(c)))
        .join('  ')
        .trimEnd();
      return k === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
    })
    .join('\n');
}
/** Display width: CJK characters take two columns. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u2e80-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1;
  return w;
}

async function scanSection(server: DemoServer, phrases: string[]): Promise<void> {
  const generated = generatePage({ id: BENCH_ID, comments: COMMENTS, appended: APPENDED });
  cleanups.push(() => rmSync(FIXTURE, { force: true }));
  writeFileSync(FIXTURE, generated.html);
  say(
    `page ${PAGE_URL} → ${relative(ROOT, FIXTURE)}: ${generated.comments} comments ` +
      `(${generated.leads} lead-gen, ${generated.warnings} warnings/victims/questions), ` +
      `${(generated.textBytes / 1e6).toFixed(2)} MB of comment text (${generated.textChars} chars), ` +
      `${(Buffer.byteLength(generated.html) / 1e6).toFixed(1)} MB of HTML; ${APPENDED} more to append`,
  );
  say('LeadGuard: launching Chromium with the extension…');
  const withExt = await launch(server, 'built');
  const tracer = await Tracer.attach(withExt.browser()!);
  say('LeadGuard: warm-up load (not counted)…');
  await leadGuardLoad(withExt);
  const lg: LeadGuardRun[] = [];
  for (let i = 0; i < RUNS; i++) {
    const run = await leadGuardRun(withExt, tracer);
    lg.push(run);
    say(
      `LeadGuard run ${i + 1}/${RUNS}: scan ${ms(run.scan)}, first highlight +${ms(run.firstFromStart)}, ` +
        `slices ${ms(run.sliceCpu)} in ${run.slices}, longest task ${taskText(run.scanTasks?.longest)}, ` +
        `paints ${(run.scanTasks?.renderings ?? []).map(taskText).join(' ') || 'none'}, ` +
        `+${APPENDED}: ${ms(run.appendCpu)} cpu / ${ms(run.appendWall)} wall`,
    );
  }
  const version = await (async () => {
    const page = await withExt.newPage();
    const ua = await page.evaluate(() => navigator.userAgent);
    await page.close();
    return /Chrome\/([\d.]+)/.exec(ua)?.[1] ?? ua;
  })();
  await tracer.detach();
  await withExt.close();

  say('mark.js: launching Chromium without the extension…');
  const plain = await launch(server, 'none');
  const mj: MarkJsRun[] = [];
  for (let i = 0; i < MARKJS_RUNS; i++) {
    const last = mj[mj.length - 1];
    if (last && elapsed() + last.total * 1.2 + 5_000 > SOFT_BUDGET_MS) {
      say(`mark.js: stopping after ${mj.length} run(s) to stay within the time budget`);
      break;
    }
    const run = await markJsRun(plain, phrases);
    mj.push(run);
    say(
      `mark.js run ${i + 1}/${RUNS}: ${ms(run.total)}, ${run.matches} marks, longest task ${ms(run.longTask)}`,
    );
  }
  say('engine alone: assess over the same block texts, in the same page…');
  const engine = await engineRun(plain);
  say(
    `engine alone: ${engine.blocks} blocks (${engine.chars} chars) and ${engine.names} names, ` +
      `assess ${ms(engine.assessMs)} (first pass ${ms(engine.coldMs)}), ` +
      `without the model ${ms(engine.assessNoModelMs)}${engine.hasModel ? '' : ' (the list has no model)'}`,
  );
  await plain.close();

  if (PROFILE) {
    const dir = buildUnminified();
    const profiled = await launch(server, dir);
    await profileRun(profiled);
    await profiled.close();
  }

  // ---- results
  const med = (f: (r: LeadGuardRun) => number) => median(lg.map(f));
  const each = (xs: number[]) =>
    xs.map((x) => (Number.isFinite(x) ? x.toFixed(1) : 'n/a')).join(' / ');
  const col = (f: (r: LeadGuardRun) => number) => [ms(med(f)), each(lg.map(f))];
  const traced = (f: (w: TaskWindow) => number, w: (r: LeadGuardRun) => TaskWindow | null) =>
    col((r) => {
      const window = w(r);
      return window ? f(window) : NaN;
    });
  const scanW = (r: LeadGuardRun) => r.scanTasks;
  const appendW = (r: LeadGuardRun) => r.appendTasks;
  const last = lg[lg.length - 1]!;
  const scan = med((r) => r.scan);
  const markTotal = median(mj.map((r) => r.total));
  const ratio = markTotal / scan;
  const worstTask = lg
    .map((r) => r.scanTasks?.longest ?? null)
    .reduce<TaskInfo | null>((a, b) => (b && (!a || b.duration > a.duration) ? b : a), null);
  const worstTaskMs = worstTask?.duration ?? NaN;
  const worstApi = Math.max(...lg.map((r) => r.longTaskApi));
  const append = med((r) => r.appendCpu);
  const sliceCpu = med((r) => r.sliceCpu);
  const overFloor = sliceCpu / engine.assessMs;
  const modelShare = (engine.assessMs - engine.assessNoModelMs) / sliceCpu;

  console.log(
    `\nLeadGuard page benchmark — Chromium ${version} headless, ${generated.comments} comments ` +
      `(${(generated.textBytes / 1e6).toFixed(2)} MB text), ${phrases.length} default-list phrases; ` +
      `median of ${RUNS} fresh loads for LeadGuard, of ${mj.length} for mark.js; runs in order\n`,
  );
  console.log(
    table([
      ['', 'median', 'runs'],
      ['LeadGuard: scan start, after the load event', ...col((r) => r.scanStartFromLoad)],
      ['LeadGuard: first highlight, from scan start', ...col((r) => r.firstFromStart)],
      ['LeadGuard: first highlight, from navigation start', ...col((r) => r.firstFromNav)],
      ['LeadGuard: first slice, from scan start', ...col((r) => r.firstSliceAfter)],
      ['LeadGuard: full scan (scan-start → scan-idle)', ...col((r) => r.scan)],
      ['LeadGuard: CPU in slices (sum of leadguard-slice)', ...col((r) => r.sliceCpu)],
      ['LeadGuard: slices', String(med((r) => r.slices)), each(lg.map((r) => r.slices))],
      ['LeadGuard: longest slice', ...col((r) => r.longestSlice)],
      ['LeadGuard: longest task in the scan, Long Tasks API', ...col((r) => r.longTaskApi)],
      [
        'LeadGuard: longest task in the scan, trace',
        ...traced((w) => w.longest?.duration ?? 0, scanW),
      ],
      ['  …longest script task', ...traced((w) => w.longestScript?.duration ?? 0, scanW)],
      ['  …longest rendering task', ...traced((w) => w.longestRendering?.duration ?? 0, scanW)],
      ['  …main thread busy: script', ...traced((w) => w.busyScript, scanW)],
      ['  …main thread busy: rendering', ...traced((w) => w.busyRendering, scanW)],
      [`LeadGuard: +${APPENDED} comments, CPU in slices`, ...col((r) => r.appendCpu)],
      [`LeadGuard: +${APPENDED} comments, wall (appended → idle)`, ...col((r) => r.appendWall)],
      [
        `LeadGuard: +${APPENDED} comments, longest task (trace)`,
        ...traced((w) => w.longest?.duration ?? 0, appendW),
      ],
      ['mark.js: total (mark() → done)', ms(markTotal), each(mj.map((r) => r.total))],
      [
        'mark.js: longest task, Long Tasks API',
        ms(median(mj.map((r) => r.longTask))),
        each(mj.map((r) => r.longTask)),
      ],
      ['mark.js total / LeadGuard full scan', `${ratio.toFixed(1)}×`, ''],
      [
        `engine alone: assess over the ${engine.blocks} block texts and ${engine.names} names, in the page`,
        ms(engine.assessMs),
        '',
      ],
      ['engine alone: its first pass (JIT still compiling)', ms(engine.coldMs), ''],
      ['engine alone: the same without the list’s model section', ms(engine.assessNoModelMs), ''],
      [
        'LeadGuard scan CPU / engine alone (reading + drawing over the floor)',
        `${overFloor.toFixed(2)}×`,
        '',
      ],
      ['lead model’s CPU as a share of the scan’s CPU', `${(modelShare * 100).toFixed(1)}%`, ''],
    ]),
  );
  const c = last.after.coverage;
  console.log(
    `\nFound (last run, after the append): LeadGuard ${last.after.highlights.lead} lead and ` +
      `${last.after.highlights.mention} mention highlights, ${last.after.badges} badges; ` +
      `lead-gen comments highlighted as leads ${c.leadsFound}/${c.leads}; marked as leads: ` +
      `${c.benignAsLead} warnings/victims/questions, ${c.plainAsLead} everyday comments ` +
      `(${c.plainMarked} everyday comments highlighted at all). ` +
      `mark.js: ${mj[0]?.matches ?? 0} exact-phrase marks.` +
      c.missed.map((t) => `\n  not a lead: ${JSON.stringify(t)}`).join(''),
  );
  console.log(
    `Longest task during a scan (trace): ${taskText(worstTask)} ms after scan start ` +
      `(script ${ms(worstTask?.script ?? NaN)}, rendering ${ms(worstTask?.rendering ?? NaN)}: ` +
      `${Object.entries(worstTask?.steps ?? {})
        .map(([step, time]) => `${step} ${ms(time)}`)
        .join(', ')}); ` +
      `the Long Tasks API reported ${worstApi ? ms(worstApi) : 'none'}.`,
  );

  const verdicts: [string, boolean, string][] = [
    [
      `no long task over ${targets.longTaskMs} ms during LeadGuard's scan`,
      worstTaskMs <= targets.longTaskMs,
      `worst of ${RUNS} runs ${taskText(worstTask)} (trace); Long Tasks API ${worstApi ? ms(worstApi) : 'none'}`,
    ],
    [`full scan ≤ ${targets.scanMs} ms`, scan <= targets.scanMs, `median ${ms(scan)}`],
    [
      `${APPENDED} appended comments ≤ ${targets.appendMs} ms processing`,
      append <= targets.appendMs,
      `median ${ms(append)} in slices`,
    ],
    [
      `scan CPU ≤ ${targets.overFloor}× the engine alone on the same texts`,
      overFloor <= targets.overFloor,
      `${overFloor.toFixed(2)}× (${ms(sliceCpu)} / ${ms(engine.assessMs)})`,
    ],
    [
      `the lead model adds ≤ ${targets.modelShare * 100}% of the scan's CPU`,
      modelShare <= targets.modelShare,
      `${(modelShare * 100).toFixed(1)}% (${ms(engine.assessMs - engine.assessNoModelMs)} of ${ms(sliceCpu)})`,
    ],
    [
      `≥ ${targets.speedup}× faster than mark.js (total scan time)`,
      ratio >= targets.speedup,
      `${ratio.toFixed(1)}× (${ms(markTotal)} / ${ms(scan)})`,
    ],
  ];
  console.log('\nTargets:');
  for (const [what, ok, value] of verdicts) {
    console.log(`  ${ok ? 'PASS' : 'MISS'}  ${what} — ${value}`);
  }
  const passed = verdicts.filter((v) => v[1]).length;
  console.log(
    `\nbench:page: ${passed}/${verdicts.length} targets met — full scan ${ms(scan)}, ` +
      `first highlight +${ms(med((r) => r.firstFromStart))}, longest task ${ms(worstTaskMs)}, ` +
      `+${APPENDED} comments ${ms(append)}, mark.js ${ms(markTotal)} (${ratio.toFixed(1)}×) ` +
      `[${(elapsed() / 1000).toFixed(0)} s]`,
  );
}

// ---------------------------------------------------------------------------------------------
// Adversarial rows (page-stress.ts)

async function stressSection(server: DemoServer, phrases: string[]): Promise<void> {
  const withExt = await launch(server, 'built');
  const tracer = await Tracer.attach(withExt.browser()!);
  const rows: string[][] = [['', 'LeadGuard', 'without LeadGuard / mark.js', 'ratio']];
  const summary: string[] = [];
  if (ROWS.has('long')) {
    const plain = await launch(server, 'none');
    for (const chars of LONG_BLOCKS) {
      say(
        `long block: ${chars.toLocaleString('en-US')} characters of lead-gen text in one comment…`,
      );
      const run: LongBlockRun = await longBlockRun(withExt, tracer, chars, LONG_CAP_MS);
      const mark = await longBlockMarkJs(plain, chars, phrases, MARK_JS, LONG_CAP_MS);
      const k = `${chars / 1000}k`;
      say(
        `long block ${k}: ${run.finished ? `scan ${ms(run.scan)}` : `not idle after ${ms(LONG_CAP_MS)}`}, ` +
          `first highlight +${ms(run.firstHighlight)}, longest task ${ms(run.longestTask)}, ` +
          `main thread busy ${ms(run.busy)}, ${run.leadHighlights} lead highlights; ` +
          `mark.js ${mark === null ? `> ${ms(LONG_CAP_MS)}` : ms(mark)}`,
      );
      const scanText = run.finished ? ms(run.scan) : `> ${ms(LONG_CAP_MS)}`;
      const markText = mark === null ? `> ${ms(LONG_CAP_MS)}` : ms(mark);
      const ratio =
        run.finished && mark !== null
          ? `${(mark / run.scan).toFixed(1)}×`
          : run.finished
            ? '≥ ' + (LONG_CAP_MS / run.scan).toFixed(1) + '×'
            : '';
      rows.push([
        `${k}-character block: scan start → idle`,
        scanText,
        `mark.js ${markText}`,
        ratio,
      ]);
      rows.push([`${k}-character block: longest task (trace)`, ms(run.longestTask), '', '']);
      rows.push([
        `${k}-character block: first highlight, from scan start`,
        ms(run.firstHighlight),
        '',
        '',
      ]);
      rows.push([`${k}-character block: lead highlights`, String(run.leadHighlights), '', '']);
      summary.push(`${k} block ${scanText} (longest task ${ms(run.longestTask)})`);
    }
    await plain.close();
  }
  if (ROWS.has('churn')) {
    const plain = await launch(server, 'none');
    const plainTracer = await Tracer.attach(plain.browser()!);
    say(`rewrite churn: 20 comments rewritten every frame for ${CHURN_SECONDS} s…`);
    const churnLg: ChurnRun = await rewriteChurnRun(withExt, tracer, true, CHURN_SECONDS);
    const churnPlain: ChurnRun = await rewriteChurnRun(plain, plainTracer, false, CHURN_SECONDS);
    say(
      `rewrite churn: ${churnLg.fps.toFixed(1)} fps with LeadGuard (longest script task ` +
        `${ms(churnLg.longestScript)}), ${churnPlain.fps.toFixed(1)} fps without`,
    );
    rows.push([
      'rewrite churn (20 comments a frame): frames per second',
      churnLg.fps.toFixed(1),
      `without ${churnPlain.fps.toFixed(1)}`,
      `${(churnLg.fps / churnPlain.fps).toFixed(2)}×`,
    ]);
    rows.push([
      'rewrite churn: longest script task (trace)',
      ms(churnLg.longestScript),
      `without ${ms(churnPlain.longestScript)}`,
      '',
    ]);
    rows.push([
      'rewrite churn: main thread busy in script',
      ms(churnLg.busyScript),
      `without ${ms(churnPlain.busyScript)}`,
      '',
    ]);
    say(
      `append churn: ${APPENDED_CHURN.toLocaleString('en-US')} comments, ${APPEND_BATCH} a frame…`,
    );
    const appendLg: AppendRun = await appendChurnRun(
      withExt,
      tracer,
      true,
      APPENDED_CHURN,
      APPEND_CAP_MS,
      APPEND_BATCH,
    );
    const appendPlain: AppendRun = await appendChurnRun(
      plain,
      plainTracer,
      false,
      APPENDED_CHURN,
      APPEND_CAP_MS,
      APPEND_BATCH,
    );
    say(
      `append churn: main thread busy ${ms(appendLg.busy)} with LeadGuard (wall ${ms(appendLg.wall)}, ` +
        `longest task ${ms(appendLg.longest)}, ${appendLg.leadHighlights} lead highlights), ` +
        `${ms(appendPlain.busy)} without (wall ${ms(appendPlain.wall)})`,
    );
    rows.push([
      `append churn (+${APPENDED_CHURN / 1000}k comments): main thread busy`,
      ms(appendLg.busy),
      `without ${ms(appendPlain.busy)}`,
      `${(appendLg.busy / appendPlain.busy).toFixed(2)}×`,
    ]);
    rows.push([
      'append churn: first append → idle (wall)',
      ms(appendLg.wall),
      `without ${ms(appendPlain.wall)}`,
      '',
    ]);
    rows.push([
      'append churn: longest task (trace)',
      ms(appendLg.longest),
      `without ${ms(appendPlain.longest)}`,
      '',
    ]);
    summary.push(
      `churn ${churnLg.fps.toFixed(1)}/${churnPlain.fps.toFixed(1)} fps, ` +
        `+${APPENDED_CHURN / 1000}k busy ${ms(appendLg.busy)}/${ms(appendPlain.busy)}`,
    );
    await plainTracer.detach();
    await plain.close();
  }
  await tracer.detach();
  await withExt.close();
  console.log('\nAdversarial pages (one run each)\n');
  console.log(table(rows));
  console.log(
    `\nbench:page adversarial: ${summary.join('; ')} [${(elapsed() / 1000).toFixed(0)} s]`,
  );
}

async function main(): Promise<void> {
  ensureBuilt();
  const server = await startDemoServer();
  cleanups.push(() => server.close());
  const phrases = [
    ...new Set(
      defaultList()
        .entries.filter((e) => e.kind === 'phrase')
        .map((e) => e.text),
    ),
  ];
  if (ROWS.has('scan')) await scanSection(server, phrases);
  if (ROWS.has('long') || ROWS.has('churn')) await stressSection(server, phrases);
}

try {
  await main();
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await cleanup();
}
process.exit(process.exitCode ?? 0);
