/**
 * The one protocol map for every message between content scripts, extension pages and the background.
 * Every request and response is parsed with zod on arrival: messages cross a trust boundary
 * (a compromised page can't forge them, but a buggy or stale content script can).
 */
import { z } from 'zod';
import { browser, type Browser } from 'wxt/browser';
import { platformIds } from '../sites/platforms';

export const TabState = z.object({
  platform: z.enum(platformIds).nullable(),
  url: z.string(),
  leads: z.number().int().nonnegative(),
  mentions: z.number().int().nonnegative(),
  paused: z.boolean(),
  updatedAt: z.number(),
});
export type TabState = z.infer<typeof TabState>;

export const protocol = {
  /** A content script started on a page. */
  pageHello: {
    request: z.object({ url: z.string().url(), platform: z.enum(platformIds).nullable() }),
    response: z.object({ paused: z.boolean() }),
  },
  /** The state LeadGuard keeps for one tab, for the popup and side panel. */
  getTabState: {
    request: z.object({ tabId: z.number().int() }),
    response: TabState.nullable(),
  },
  /**
   * The compiled matcher (serialized). `have` is the key the caller already holds: the reply
   * carries the bytes only when they differ, so tabs don't reload an unchanged matcher.
   */
  getMatcher: {
    request: z.object({ have: z.string().nullable() }),
    response: z.object({ key: z.string(), matcher: z.string().nullable() }),
  },
  /** What a page scan found, for the toolbar badge and the popup. */
  pageReport: {
    request: z.object({
      url: z.string().url(),
      leads: z.number().int().nonnegative(),
      mentions: z.number().int().nonnegative(),
    }),
    response: z.object({}),
  },
  /** Pause or resume LeadGuard on a platform (from the popup). */
  setPaused: {
    request: z.object({ platform: z.enum(platformIds), paused: z.boolean() }),
    response: z.object({ paused: z.boolean() }),
  },
  /** The active list, for the options page. */
  getListInfo: {
    request: z.object({}),
    response: z.object({
      key: z.string(),
      id: z.string(),
      version: z.number(),
      name: z.string().nullable(),
      entries: z.number(),
      isDefault: z.boolean(),
    }),
  },
  /** Makes an imported list active (validated and compiled first; a bad list changes nothing). */
  importList: {
    request: z.object({ list: z.unknown() }),
    response: z.object({ key: z.string() }),
  },
  /** Goes back to the list shipped with the extension. */
  resetList: {
    request: z.object({}),
    response: z.object({ key: z.string() }),
  },
  /** Background → tab: a new list was compiled; fetch it with getMatcher. */
  matcherUpdated: {
    request: z.object({ key: z.string() }),
    response: z.object({}),
  },
  /** Background → tab: the user paused or resumed LeadGuard on this tab's platform. */
  pauseChanged: {
    request: z.object({ paused: z.boolean() }),
    response: z.object({}),
  },
} as const;

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
  if (!reply.data.ok) throw new MessageError(`${type} failed: ${reply.data.error}`);
  return protocol[type].response.parse(reply.data.data) as Response<T>;
}

export type Handlers = {
  [T in MessageType]?: (
    data: Request<T>,
    sender: Browser.runtime.MessageSender,
  ) => Response<T> | Promise<Response<T>>;
};

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
    const request = protocol[type].request.safeParse(envelope.data.data);
    if (!request.success) {
      return Promise.resolve({ ok: false, error: `invalid ${type}: ${request.error.message}` });
    }
    return Promise.resolve()
      .then(() => handler(request.data, sender))
      .then(
        (data) => ({ ok: true, data }),
        (error: unknown) => ({ ok: false, error: String(error) }),
      );
  };
  browser.runtime.onMessage.addListener(listener);
  return () => browser.runtime.onMessage.removeListener(listener);
}
