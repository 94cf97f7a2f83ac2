/**
 * The labelled corpora on disk: every `*.jsonl` in the corpus directory and its `train/` folder is
 * a writer family named after its file. `sealed/` holds blind sets that are never trained on; they
 * are read only when asked for by name.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { labelled, parseCorpus, type LabelledText } from '../core/corpus';

export const corpusDir = resolve(import.meta.dirname, '../../test/corpus');

export function corpusFiles(dir = corpusDir): string[] {
  const files: string[] = [];
  for (const sub of ['', 'train']) {
    const d = join(dir, sub);
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      continue;
    }
    for (const name of names.sort()) {
      const file = join(d, name);
      if (name.endsWith('.jsonl') && statSync(file).isFile()) files.push(file);
    }
  }
  return files;
}

export const familyOf = (file: string) => basename(file).replace(/\.jsonl$/, '');

export function readLabelled(file: string): LabelledText[] {
  const family = familyOf(file);
  return parseCorpus(readFileSync(file, 'utf8'), file).map((line) => labelled(line, family));
}

export function readCorpora(files = corpusFiles()): LabelledText[] {
  return files.flatMap(readLabelled);
}

/** SHA-256 of the training lines as the trainer read them. */
export function fingerprint(lines: readonly LabelledText[]): string {
  const hash = createHash('sha256');
  for (const l of lines)
    hash.update(
      `${l.family}\t${l.id}\t${l.lead ? 1 : 0}\t${l.kind}\t${l.text}\t${l.parent ?? ''}\n`,
    );
  return hash.digest('hex');
}
