/**
 * The one protocol map for every message between content scripts, extension pages and the background.
 * Every request and response is parsed with zod on arrival: messages cross a trust boundary
 * (a compromised page can't forge them, but a buggy or stale content script can). Each message
 * also names who may send it: a content script runs beside pages LeadGuard doesn't trust, so only
 * LeadGuard's own pages may import lists or change settings (issue 10).
 */
import { z } from 'zod';
import { browser, type Browser } from 'wxt/browser';
import { LayoutDiagnostic } from '../page/layout-check';
import { platformIds } from '../sites/platforms';
import { FiledReport, ReportDraft } from './report-draft';
import { EvidenceChoice, ReportPrefs, ReportSettings } from './report-settings';

export const TabState = z.object({
  platform: z.enum(platformIds).nullable(),
  url: z.string(),
  leads: z.number().int().nonnegative(),
  mentions: z.number().int().nonnegative(),
  paused: z.boolean(),
  /** Set when the site's layout looks changed and the page is scanned in generic mode. */
  fallback: LayoutDiagnostic.nullable().default(null),
  updatedAt: z.number(),
});
export type TabState = z.infer<typeof TabState>;

const SourceName = z.union([
  z.literal('bundled'),
  z.literal('local'),
  z.literal('import'),
  z.string().regex(/^feed:/),
]);

export const ListInfo = z.object({
  /** SHA-256 of the compiled matcher: what identifies the active list. */
  sha256: z.string().nullable(),
  id: z.string(),
  version: z.number(),
  name: z.string().nullable(),
  entries: z.number(),
  /** Entries plus the members of account and contact sets. */
  members: z.number(),
  sources: z.array(z.object({ source: SourceName, version: z.number() })),
  isDefault: z.boolean(),
  hasImport: z.boolean(),
  localEntries: z.number(),
  activatedAt: z.number().nullable(),
  bytes: z.number().nullable(),
});
export type ListInfo = z.infer<typeof ListInfo>;

const FeedStatus = z.object({
  id: z.string(),
  url: z.string(),
  keys: z.array(z.string()),
  /** The feed's own id, from its manifest. */
  feedId: z.string().nullable(),
  name: z.string().nullable(),
  version: z.number().nullable(),
  entries: z.number().nullable(),
  members: z.number().nullable(),
  via: z.string().nullable(),
  lastSuccessAt: z.number().nullable(),
  lastAttemptAt: z.number().nullable(),
  /** The last failure in words; null after a success. */
  lastError: z.string().nullable(),
  nextCheckAt: z.number().nullable(),
  phase: z.enum(['idle', 'fetching', 'applying']),
  failures: z.number(),
});
export const SyncStatus = z.object({
  settings: z.object({ intervalMinutes: z.number(), timeoutSeconds: z.number() }),
  feeds: z.array(FeedStatus),
  history: z.array(
    z.object({
      source: z.string(),
      at: z.number(),
      outcome: z.enum(['updated', 'unchanged', 'rejected', 'failed']),
      from: z.number().nullable(),
      to: z.number().nullable(),
      via: z.string().nullable(),
      message: z.string().nullable(),
      millis: z.number(),
      bytes: z.number(),
      manifestSha256: z.string().nullable(),
    }),
  ),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

/**
 * Who sent a message: one of LeadGuard's own pages or its background ('extension'), or a content
 * script in a tab ('tab').
 */
export type SenderKind = 'extension' | 'tab';

export const protocol = {
  /** A content script started on a page. */
  pageHello: {
    from: ['tab'],
    request: z.object({ url: z.string().url(), platform: z.enum(platformIds).nullable() }),
    response: z.object({ paused: z.boolean() }),
  },
  /** The state LeadGuard keeps for one tab, for the popup and side panel. */
  getTabState: {
    from: ['extension'],
    request: z.object({ tabId: z.number().int() }),
    response: TabState.nullable(),
  },
  /** What a page scan found, for the toolbar badge and the popup. */
  pageReport: {
    from: ['tab'],
    request: z.object({
      url: z.string().url(),
      leads: z.number().int().nonnegative(),
      mentions: z.number().int().nonnegative(),
      /** Why the page fell back to generic mode, or null while its adapter reads it. */
      fallback: LayoutDiagnostic.nullable().optional(),
    }),
    response: z.object({}),
  },
  /** Pause or resume LeadGuard on a platform (from the popup). */
  setPaused: {
    from: ['extension'],
    request: z.object({ platform: z.enum(platformIds), paused: z.boolean() }),
    response: z.object({ paused: z.boolean() }),
  },
  /** The active list, for the options page and popup. */
  getListInfo: {
    from: ['extension'],
    request: z.object({}),
    response: ListInfo,
  },
  /**
   * Makes a list file active that the options page staged in the database (list-store.ts): files
   * of hundreds of MB never travel as a message. Validated and compiled first; a bad list changes
   * nothing. The reply names the new active list by its compiled content hash.
   */
  importList: {
    from: ['extension'],
    request: z.object({ staged: z.string().uuid() }),
    response: z.object({ sha256: z.string() }),
  },
  /** Drops the imported list: back to the feeds, or to the list shipped with the extension. */
  resetList: {
    from: ['extension'],
    request: z.object({}),
    response: z.object({ sha256: z.string() }),
  },
  /** Feeds, their versions, last success, last error in words and next check (options, popup). */
  getSyncStatus: { from: ['extension'], request: z.object({}), response: SyncStatus },
  /** Syncs every feed now, whatever their schedule. */
  syncNow: { from: ['extension'], request: z.object({}), response: SyncStatus },
  /** Subscribes to a feed (URL and trusted Ed25519 public keys) and syncs it. */
  addFeed: {
    from: ['extension'],
    request: z.object({ url: z.string(), keys: z.array(z.string()) }),
    response: SyncStatus,
  },
  removeFeed: { from: ['extension'], request: z.object({ id: z.string() }), response: SyncStatus },
  setSyncSettings: {
    from: ['extension'],
    request: z.object({ intervalMinutes: z.number(), timeoutSeconds: z.number() }),
    response: SyncStatus,
  },
  /** The user's own entries, merged into whatever list is active. */
  getLocalEntries: {
    from: ['extension'],
    request: z.object({}),
    response: z.array(z.object({ id: z.string(), kind: z.string(), summary: z.string() })),
  },
  /** Adds or replaces the user's own entries (list entries, validated by the list schema). */
  putLocalEntries: {
    from: ['extension'],
    request: z.object({ entries: z.array(z.unknown()).min(1).max(10_000) }),
    response: z.object({ sha256: z.string() }),
  },
  removeLocalEntries: {
    from: ['extension'],
    request: z.object({ ids: z.array(z.string()).min(1) }),
    response: z.object({ sha256: z.string() }),
  },
  /** A tab files a report of a block: captured, stored in the outbox, then delivered. */
  fileReport: { from: ['tab'], request: ReportDraft, response: FiledReport },
  /** What a tab may know of the report settings: the first-report disclosure and evidence kinds. */
  getReportPrefs: { from: ['tab', 'extension'], request: z.object({}), response: ReportPrefs },
  /**
   * The first report's disclosure, confirmed on the page with the evidence kinds the user keeps:
   * a tab may only turn evidence on or off, never set the server, the token or the reporter.
   */
  setReportPrefs: {
    from: ['tab', 'extension'],
    request: z.object({ disclosureAccepted: z.boolean(), evidence: EvidenceChoice }),
    response: ReportPrefs,
  },
  /** The report settings with the token (options page only). */
  getReportSettings: { from: ['extension'], request: z.object({}), response: ReportSettings },
  setReportSettings: {
    from: ['extension'],
    request: ReportSettings.partial(),
    response: ReportSettings,
  },
  /** The history page retries or cancels a report; the background's sender picks it up. */
  retryReport: {
    from: ['extension'],
    request: z.object({ id: z.string().uuid() }),
    response: z.object({}),
  },
  cancelReport: {
    from: ['extension'],
    request: z.object({ id: z.string().uuid() }),
    response: z.object({}),
  },
  /**
   * Background → tab: the context menu or the keyboard shortcut asks to report what it points at
   * (the account of the block right-clicked, the selected text, or the focused match).
   */
  reportTarget: {
    from: ['extension'],
    request: z.object({
      source: z.enum(['context-menu', 'shortcut']),
      what: z.enum(['account', 'selection', 'focused']),
      selection: z.string().max(20_000).optional(),
    }),
    response: z.object({ filed: z.boolean(), message: z.string() }),
  },
  /** Background → tab: the user paused or resumed LeadGuard on this tab's platform. */
  pauseChanged: {
    from: ['extension'],
    request: z.object({ paused: z.boolean() }),
    response: z.object({}),
  },
} as const satisfies Record<
  string,
  { from: readonly SenderKind[]; request: z.ZodType; response: z.ZodType }
>;

export type Protocol = typeof protocol;
export type MessageType = keyof Protocol;
export type Request<T extends MessageType> = z.infer<Protocol[T]['request']>;
export type Response<T extends MessageType> = z.infer<Protocol[T]['response']>;

const Envelope = z.object({ type: z.string(), data: z.unknown() });
const Reply = z.union([
  z.object({ ok: z.literal(true), data: z.unknown() }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);

export class MessageError extends Error {
  override name = 'MessageError';
}

/** Sends a typed message to the background (or, with `tabId`, to a tab's content script). */
export async function sendMessage<T extends MessageType>(
  type: T,
  data: Request<T>,
  tabId?: number,
): Promise<Response<T>> {
  const envelope = { type, data: protocol[type].request.parse(data) };
  const raw: unknown =
    tabId === undefined
      ? await browser.runtime.sendMessage(envelope)
      : await browser.tabs.sendMessage(tabId, envelope);
  const reply = Reply.safeParse(raw);
  if (!reply.success) throw new MessageError(`No valid reply to ${type}`);
  if (!reply.data.ok) throw new MessageError(reply.data.error);
  return protocol[type].response.parse(reply.data.data) as Response<T>;
}

export type Handlers = {
  [T in MessageType]?: (
    data: Request<T>,
    sender: Browser.runtime.MessageSender,
  ) => Response<T> | Promise<Response<T>>;
};

/** What kind of sender `sender` is, or null for anyone else (another extension, a web page). */
export function senderKind(
  sender: Browser.runtime.MessageSender,
  self: { id: string; base: string } = {
    id: browser.runtime.id,
    base: browser.runtime.getURL('/'),
  },
): SenderKind | null {
  if (sender.id !== self.id) return null;
  // Extension pages (and the background) have URLs under the extension's own base URL.
  const url = sender.url ?? (sender.origin ? `${sender.origin}/` : '');
  if (url.startsWith(self.base)) return 'extension';
  return sender.tab?.id !== undefined ? 'tab' : null;
}

/**
 * Registers handlers for the message types this context answers. Unknown types are left to other
 * listeners (returning undefined), so the background and extension pages can each own a subset.
 * Returns the function that removes the listener.
 */
export function onMessage(handlers: Handlers): () => void {
  const listener = (raw: unknown, sender: Browser.runtime.MessageSender) => {
    const envelope = Envelope.safeParse(raw);
    if (!envelope.success || !(envelope.data.type in handlers)) return undefined;
    const type = envelope.data.type as MessageType;
    const handler = handlers[type] as
      ((data: unknown, sender: Browser.runtime.MessageSender) => unknown) | undefined;
    if (!handler) return undefined;
    const allowed: readonly SenderKind[] = protocol[type].from;
    const kind = senderKind(sender);
    if (kind === null || !allowed.includes(kind)) {
      const who = allowed.includes('tab') ? 'LeadGuard content scripts' : "LeadGuard's own pages";
      return Promise.resolve({ ok: false, error: `${type} is accepted only from ${who}` });
    }
    const request = protocol[type].request.safeParse(envelope.data.data);
    if (!request.success) {
      return Promise.resolve({ ok: false, error: `invalid ${type}: ${request.error.message}` });
    }
    return Promise.resolve()
      .then(() => handler(request.data, sender))
      .then(
        (data) => ({ ok: true, data }),
        // The message alone: it is shown to people ("导入失败：…"), the error class means nothing to them.
        (error: unknown) => ({
          ok: false,
          error: error instanceof Error ? error.message : String(error),
        }),
      );
  };
  browser.runtime.onMessage.addListener(listener);
  return () => browser.runtime.onMessage.removeListener(listener);
}
