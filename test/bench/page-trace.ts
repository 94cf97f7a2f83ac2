/**
 * Chrome traces for the page benchmark: the renderer main thread's tasks between two user-timing
 * marks, each split into script and rendering time. Chromium's Long Tasks API leaves out rendering
 * tasks and tasks that only run content-script microtasks, so the trace is what sees the tasks
 * LeadGuard causes. Categories are few (toplevel, devtools.timeline, v8.execute, user timing), so
 * tracing costs little.
 */
import type { Browser, CDPSession } from 'playwright-core';

export interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
}

const categories = ['toplevel', 'devtools.timeline', 'v8.execute', 'blink.user_timing'];

/** A browser-wide tracing session that records one run at a time. */
export class Tracer {
  private constructor(private readonly cdp: CDPSession) {}

  static async attach(browser: Browser): Promise<Tracer> {
    return new Tracer(await browser.newBrowserCDPSession());
  }

  async record<T>(run: () => Promise<T>): Promise<{ result: T; events: TraceEvent[] }> {
    const events: TraceEvent[] = [];
    const onData = (e: { value: object[] }) => events.push(...(e.value as TraceEvent[]));
    this.cdp.on('Tracing.dataCollected', onData);
    await this.cdp.send('Tracing.start', {
      traceConfig: { includedCategories: categories, recordMode: 'recordAsMuchAsPossible' },
      transferMode: 'ReportEvents',
    });
    let result: T;
    try {
      result = await run();
    } finally {
      const complete = new Promise<void>((ok) =>
        this.cdp.once('Tracing.tracingComplete', () => ok()),
      );
      await this.cdp.send('Tracing.end');
      await complete;
      this.cdp.off('Tracing.dataCollected', onData);
    }
    return { result, events };
  }

  detach(): Promise<void> {
    return this.cdp.detach();
  }
}

export interface TaskInfo {
  /** ms, relative to the window's start mark. */
  start: number;
  duration: number;
  script: number;
  rendering: number;
  kind: 'script' | 'rendering' | 'other';
  /** ms per rendering step (UpdateLayoutTree, Layout, PrePaint, Paint) inside the task. */
  steps: Record<string, number>;
}

export interface TaskWindow {
  tasks: number;
  longest: TaskInfo | null;
  longestScript: TaskInfo | null;
  longestRendering: TaskInfo | null;
  /** Rendering tasks, in order: how often the page painted and what each paint cost. */
  renderings: TaskInfo[];
  /** Main-thread time in tasks of each kind inside the window, ms. */
  busyScript: number;
  busyRendering: number;
  busy: number;
}

const taskEvents = new Set([
  'ThreadControllerImpl::RunTask',
  'BlinkScheduler_PerformMicrotaskCheckpoint',
]);
const scriptEvents = new Set(['FunctionCall', 'EvaluateScript', 'RunMicrotasks']);
const renderingEvents = new Set(['UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint']);

/** Total length of the union of intervals [ts, ts + dur), in µs. */
function covered(spans: { ts: number; dur: number }[]): number {
  const sorted = [...spans].sort((a, b) => a.ts - b.ts);
  let total = 0;
  let end = -Infinity;
  for (const s of sorted) {
    const e = s.ts + s.dur;
    if (e <= end) continue;
    total += e - Math.max(s.ts, end);
    end = e;
  }
  return total;
}

/** The first index whose event starts at or after `ts` (events sorted by ts). */
function lowerBound(events: { ts: number }[], ts: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (events[mid]!.ts < ts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The main-thread tasks that overlap [first `from` mark, first `to` mark after it]. The thread is
 * the one that recorded the `from` mark. Null when the marks are not in the trace.
 */
export function tasksBetween(events: TraceEvent[], from: string, to: string): TaskWindow | null {
  const marks = events.filter(
    (e) => e.cat.includes('blink.user_timing') && e.ph !== 'b' && e.ph !== 'e',
  );
  const start = marks.find((m) => m.name === from);
  if (!start) return null;
  const end = marks
    .filter((m) => m.name === to && m.pid === start.pid && m.tid === start.tid && m.ts >= start.ts)
    .sort((a, b) => a.ts - b.ts)[0];
  if (!end) return null;
  const thread = events
    .filter((e) => e.pid === start.pid && e.tid === start.tid && e.ph === 'X' && e.dur)
    .sort((a, b) => a.ts - b.ts) as (TraceEvent & { dur: number })[];
  // Tasks are the sequence manager's; a microtask checkpoint run outside one (content-script
  // promise continuations after an extension message) counts as a task of its own.
  const tasks: (TraceEvent & { dur: number })[] = [];
  for (const e of thread) {
    if (!taskEvents.has(e.name) || e.ts >= end.ts || e.ts + e.dur <= start.ts) continue;
    const outer = tasks[tasks.length - 1];
    if (outer && e.ts + e.dur <= outer.ts + outer.dur) continue;
    tasks.push(e);
  }
  const infos = tasks.map((task): TaskInfo => {
    const inside: (TraceEvent & { dur: number })[] = [];
    for (let i = lowerBound(thread, task.ts); i < thread.length; i++) {
      const e = thread[i]!;
      if (e.ts >= task.ts + task.dur) break;
      if (e.ts + e.dur <= task.ts + task.dur) inside.push(e);
    }
    const script = covered(inside.filter((e) => scriptEvents.has(e.name))) / 1000;
    const rendering = covered(inside.filter((e) => renderingEvents.has(e.name))) / 1000;
    const duration = task.dur / 1000;
    const steps: Record<string, number> = {};
    for (const name of renderingEvents) {
      const time = covered(inside.filter((e) => e.name === name)) / 1000;
      if (time > 0) steps[name] = time;
    }
    return {
      steps,
      start: (task.ts - start.ts) / 1000,
      duration,
      script,
      rendering,
      kind:
        Math.max(script, rendering) < duration / 4
          ? 'other'
          : script >= rendering
            ? 'script'
            : 'rendering',
    };
  });
  const longestOf = (xs: TaskInfo[]) =>
    xs.reduce<TaskInfo | null>((a, b) => (a && a.duration >= b.duration ? a : b), null);
  const sum = (xs: TaskInfo[]) => xs.reduce((a, b) => a + b.duration, 0);
  return {
    tasks: infos.length,
    longest: longestOf(infos),
    longestScript: longestOf(infos.filter((t) => t.kind === 'script')),
    longestRendering: longestOf(infos.filter((t) => t.kind === 'rendering')),
    renderings: infos.filter((t) => t.kind === 'rendering'),
    busyScript: sum(infos.filter((t) => t.kind === 'script')),
    busyRendering: sum(infos.filter((t) => t.kind === 'rendering')),
    busy: sum(infos),
  };
}
