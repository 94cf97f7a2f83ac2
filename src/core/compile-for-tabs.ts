/**
 * The one gate every list passes before tabs run it (imported, synced, bundled, or published by
 * `leadguard feed build`): compile it, serialize it, and load the bytes exactly as a content script
 * loads them (RegExps included), within the size every tab can hold. A list that fails here never
 * becomes active anywhere.
 */
import { mb, sha256Hex } from './bytes';
import { compileList } from './compile-list';
import { ListError, type List } from './list-schema';
import { deserializeMatcher, loadMatcher, serializeMatcher, type CompiledMatcher } from './matcher';

/** The most a compiled matcher may weigh: every tab on a platform holds one. */
export const MAX_MATCHER_BYTES = 96 << 20;

export interface TabMatcher {
  bytes: Uint8Array;
  sha256: string;
  millis: number;
}

export async function compileForTabs(
  list: List,
  options: {
    maxBytes?: number;
    compile?: (list: List) => CompiledMatcher;
    now?: () => number;
  } = {},
): Promise<TabMatcher> {
  const {
    maxBytes = MAX_MATCHER_BYTES,
    compile = compileList,
    now = () => performance.now(),
  } = options;
  const started = now();
  let bytes: Uint8Array;
  try {
    bytes = serializeMatcher(compile(list));
  } catch (error) {
    throw new ListError(`the list does not compile: ${(error as Error).message}`, { cause: error });
  }
  if (bytes.length > maxBytes) {
    throw new ListError(
      `the list compiles to ${mb(bytes.length)}, more than the ${mb(maxBytes)} every tab can hold; ` +
        'put bulk accounts and contacts in account-set/contact-set entries and turn pinyin off for rare phrases',
    );
  }
  try {
    loadMatcher(deserializeMatcher(bytes));
  } catch (error) {
    throw new ListError(`tabs could not load the compiled list: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return { bytes, sha256: await sha256Hex(bytes), millis: now() - started };
}
