/**
 * List entries as CSV (RFC 4180: a header row, quoted fields may hold commas, quotes and line
 * breaks), for publishers whose lists live in spreadsheets. Columns by name, in any order:
 * kind, id, text, category, signal, pinyin, variants (separated by |), pattern, platform,
 * platformId, handle, type, value, context, weight, source, addedAt, note.
 * A row of kind `account-set` or `contact-set` is one member (platformId or value); rows with the
 * same set id make one set. Every entry is validated with the list schema; errors name the line.
 */
import { Entry, ListError } from './list-schema';

const columns = [
  'kind',
  'id',
  'text',
  'category',
  'signal',
  'pinyin',
  'variants',
  'pattern',
  'platform',
  'platformId',
  'handle',
  'type',
  'value',
  'context',
  'weight',
  'source',
  'addedAt',
  'note',
] as const;

/** Rows of fields with the line each row starts on. */
export function parseCsv(text: string): { line: number; fields: string[] }[] {
  const rows: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRow = () => {
    fields.push(field);
    if (fields.length > 1 || fields[0] !== '') rows.push({ line: rowLine, fields });
    fields = [];
    field = '';
  };
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else field += c;
  }
  if (quoted) throw new ListError(`CSV line ${rowLine}: a quoted field is not closed`);
  if (field !== '' || fields.length > 0) endRow();
  return rows;
}

export function entriesFromCsv(
  text: string,
  today = new Date().toISOString().slice(0, 10),
): Entry[] {
  const [head, ...rows] = parseCsv(text);
  if (!head) throw new ListError('the CSV is empty');
  const names = head.fields.map((f) => f.trim());
  const unknown = names.filter((n) => !(columns as readonly string[]).includes(n));
  if (unknown.length) throw new ListError(`CSV columns not known: ${unknown.join(', ')}`);
  if (!names.includes('kind') || !names.includes('id')) {
    throw new ListError('the CSV needs at least the columns kind and id');
  }
  const entries: Entry[] = [];
  const sets = new Map<
    string,
    { entry: Record<string, unknown>; members: string[]; line: number }
  >();
  for (const { line, fields } of rows) {
    const row: Record<string, string> = {};
    names.forEach((name, i) => {
      const value = (fields[i] ?? '').trim();
      if (value !== '') row[name] = value;
    });
    const fail = (why: string): never => {
      throw new ListError(`CSV line ${line}${row.id ? ` (${row.id})` : ''}: ${why}`);
    };
    const provenance = {
      source: row.source ?? 'csv',
      addedAt: row.addedAt ?? today,
      ...(row.note ? { note: row.note } : {}),
    };
    const raw: Record<string, unknown> = { kind: row.kind, id: row.id, provenance };
    for (const key of [
      'text',
      'category',
      'signal',
      'pattern',
      'platform',
      'platformId',
      'handle',
      'type',
      'value',
      'context',
    ] as const) {
      if (row[key] !== undefined) raw[key] = row[key];
    }
    if (row.weight !== undefined) {
      const weight = Number(row.weight);
      if (!Number.isFinite(weight)) fail(`weight "${row.weight}" is not a number`);
      raw.weight = weight;
    }
    if (row.pinyin !== undefined) {
      if (!/^(true|false|1|0|yes|no)$/i.test(row.pinyin))
        fail(`pinyin "${row.pinyin}" is not true/false`);
      raw.pinyin = /^(true|1|yes)$/i.test(row.pinyin);
    }
    if (row.variants !== undefined)
      raw.variants = row.variants
        .split('|')
        .map((v) => v.trim())
        .filter(Boolean);
    if (row.kind === 'account-set' || row.kind === 'contact-set') {
      const member = row.kind === 'account-set' ? row.platformId : row.value;
      if (!member)
        fail(`a ${row.kind} row needs ${row.kind === 'account-set' ? 'platformId' : 'value'}`);
      const set = sets.get(row.id ?? '');
      if (set) {
        set.members.push(member!);
        continue;
      }
      delete raw.platformId;
      delete raw.value;
      const entry = { ...raw, [row.kind === 'account-set' ? 'ids' : 'values']: [] as string[] };
      const record = { entry, members: [member!], line };
      sets.set(row.id ?? '', record);
      entries.push(entry as unknown as Entry);
      continue;
    }
    const parsed = Entry.safeParse(raw);
    if (!parsed.success)
      fail(
        parsed.error.issues
          .map((i) => `${i.path.join('.') || 'entry'}: ${i.message}`)
          .slice(0, 3)
          .join('; '),
      );
    entries.push(parsed.data!);
  }
  // Sets are validated once they hold all their members.
  return entries.map((entry) => {
    const set = sets.get(entry.id as string);
    if (!set || set.entry !== (entry as unknown)) return entry;
    set.entry[entry.kind === 'account-set' ? 'ids' : 'values'] = set.members;
    const parsed = Entry.safeParse(set.entry);
    if (!parsed.success) {
      throw new ListError(
        `CSV line ${set.line} (${String(set.entry.id)}): ${parsed.error.issues
          .map((i) => `${i.path.join('.')}: ${i.message}`)
          .slice(0, 3)
          .join('; ')}`,
      );
    }
    return parsed.data;
  });
}
