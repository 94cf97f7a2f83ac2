/**
 * How the command line says what went wrong: one line, in words, with anything from the input
 * escaped (a file name or a JSON error can carry terminal escape sequences and bidi overrides
 * that would rewrite the user's terminal, issue 10), and no stack trace.
 */

/** Control characters, bidi controls and line breaks, written as escapes; long text cut. */
export function escapeForTerminal(text: string, max = 500): string {
  const escaped = text.replace(
    // C0 and C1 controls, DEL, bidi embeddings/overrides/isolates, line and paragraph separators.
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g,
    (c) => {
      const code = c.charCodeAt(0);
      if (c === '\n') return '\\n';
      if (c === '\r') return '\\r';
      if (c === '\t') return '\\t';
      return code <= 0xff
        ? `\\x${code.toString(16).padStart(2, '0')}`
        : `\\u${code.toString(16).padStart(4, '0')}`;
    },
  );
  // Lone surrogates can't be printed either.
  const safe = escaped.replace(
    /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16)}`,
  );
  return safe.length > max ? `${safe.slice(0, max)}…` : safe;
}

/** What a system error means, in words, for the file it happened to. */
export function describeError(error: unknown, file?: string): string {
  const e = error as NodeJS.ErrnoException;
  const where = file ? `${file}: ` : '';
  switch (e?.code) {
    case 'EISDIR':
      return `${where}is a directory, not a file`;
    case 'ENOENT':
      return `${where}no such file`;
    case 'EACCES':
    case 'EPERM':
      return `${where}permission denied`;
    case 'ENOTDIR':
      return `${where}a part of the path is not a directory`;
    default:
      return `${where}${e instanceof Error ? e.message : String(error)}`;
  }
}

/** The one line printed for an error: `leadguard: …`, escaped. */
export function errorLine(prefix: string, message: string): string {
  return `${prefix}: ${escapeForTerminal(message)}\n`;
}
