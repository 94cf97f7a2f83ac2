/** Reading what LeadGuard put on a page, from the page (CSS.highlights is per document). */
import type { Page } from 'playwright-core';

export type HighlightTexts = Record<string, string[]>;

/** Every LeadGuard highlight on the page: name → the text of each range. */
export function readHighlights(page: Page): Promise<HighlightTexts> {
  return page.evaluate(() => {
    const out: Record<string, string[]> = {};
    const registry = (CSS as unknown as { highlights: Map<string, Set<Range>> }).highlights;
    for (const [name, highlight] of registry) {
      if (name.startsWith('leadguard-')) out[name] = [...highlight].map((r) => r.toString());
    }
    return out;
  });
}

/** Waits until the page has LeadGuard highlights and the scan that made them is done. */
export async function waitForHighlights(
  page: Page,
  name = 'leadguard-lead',
  min = 1,
): Promise<HighlightTexts> {
  await page.waitForFunction(
    ([n, m]) => {
      const h = (CSS as unknown as { highlights: Map<string, Set<Range>> }).highlights.get(
        n as string,
      );
      return !!h && h.size >= (m as number);
    },
    [name, min] as const,
    { timeout: 15_000 },
  );
  // Highlights come in batches while a scan goes on: wait until the latest scan is idle (which
  // it is once what it found is on the page).
  await page.waitForFunction(
    () => {
      const last = (name: string) => performance.getEntriesByName(name).at(-1)?.startTime ?? -1;
      return last('leadguard-scan-idle') > last('leadguard-scan-start');
    },
    null,
    { timeout: 15_000 },
  );
  return readHighlights(page);
}

/** Whether any lead/mention highlight range lies inside elements matching `selector`. */
export function highlightedIn(
  page: Page,
  selector: string,
  name = 'leadguard-lead',
): Promise<string[]> {
  return page.evaluate(
    ([sel, n]) => {
      const registry = (CSS as unknown as { highlights: Map<string, Set<Range>> }).highlights;
      const h = registry.get(n as string);
      if (!h) return [];
      const within = (node: Node) => {
        for (let x: Node | null = node; x; x = x.parentNode ?? (x as ShadowRoot).host ?? null) {
          if (x.nodeType === 1 && (x as Element).matches(sel as string)) return true;
        }
        return false;
      };
      return [...h].filter((r) => within(r.startContainer)).map((r) => r.toString());
    },
    [selector, name] as const,
  );
}

export interface FixtureCoverage {
  /** Lead blocks (data-fixture="lead") in the page, shadow roots included. */
  leads: number;
  /** …of which hold at least one lead highlight. */
  leadsHighlighted: number;
  /** Text of lead blocks without a highlight, for failure messages. */
  leadsMissed: string[];
  benign: number;
  /** Text of benign blocks that hold a lead highlight (should be none). */
  benignMarkedLead: string[];
}

/** How the fixture's labelled blocks fared: every lead highlighted, no benign block as a lead. */
export function fixtureCoverage(page: Page): Promise<FixtureCoverage> {
  return page.evaluate(() => {
    const registry = (CSS as unknown as { highlights: Map<string, Set<Range>> }).highlights;
    const leadRanges = [...(registry.get('leadguard-lead') ?? [])];
    const all: Element[] = [];
    const visit = (root: Document | ShadowRoot) => {
      for (const el of root.querySelectorAll('*')) {
        if (el.hasAttribute('data-fixture')) all.push(el);
        if (el.shadowRoot) visit(el.shadowRoot);
      }
    };
    visit(document);
    const inside = (el: Element, node: Node) => {
      for (let x: Node | null = node; x; x = x.parentNode ?? (x as ShadowRoot).host ?? null) {
        if (x === el) return true;
      }
      return false;
    };
    const text = (el: Element) => (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 60);
    const leads = all.filter((e) => e.getAttribute('data-fixture') === 'lead');
    const benign = all.filter((e) => e.getAttribute('data-fixture') === 'benign');
    const marked = (el: Element) => leadRanges.some((r) => inside(el, r.startContainer));
    // A benign comment may hold a lead reply: only highlights outside nested lead blocks count.
    const markedOwn = (el: Element) =>
      leadRanges.some(
        (r) =>
          inside(el, r.startContainer) &&
          !leads.some((l) => l !== el && inside(el, l) && inside(l, r.startContainer)),
      );
    return {
      leads: leads.length,
      leadsHighlighted: leads.filter(marked).length,
      leadsMissed: leads.filter((e) => !marked(e)).map(text),
      benign: benign.length,
      benignMarkedLead: benign.filter(markedOwn).map(text),
    };
  });
}
