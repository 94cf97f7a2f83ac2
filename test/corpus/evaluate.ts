/**
 * `npm run eval [FILE…]`: detection quality of the shipped list.
 * - With no files: leave-one-family-out over the training corpora (each writer family scored by a
 *   model trained on all the others — the honest estimate for unseen text), then the shipped
 *   model on each training corpus (seen text, a sanity check).
 * - With files: the shipped list on those files, listing every miss and false lead for review.
 *   Sealed blind sets (test/corpus/sealed/) are scored only this way, once, on arrival.
 */
import { compileList } from '../../src/core/compile-list';
import { defaultList } from '../../src/core/default-list';
import { loadMatcher } from '../../src/core/matcher';
import { assess } from '../../src/core/score';
import { corpusFiles, familyOf, readCorpora, readLabelled } from '../../src/cli/corpora';
import { evaluateFile, lofoReport, printLofo } from '../../src/cli/model';
import { defaultTrainConfig, trainConfigOf, type TrainConfig } from '../../src/core/train';

const list = defaultList();
const matcher = loadMatcher(compileList(list));
const files = process.argv.slice(2);
const line = (s: string) => console.log(s);

if (files.length === 0) {
  const { model: _model, ...lexicon } = list;
  const config: TrainConfig = list.model ? trainConfigOf(list.model) : defaultTrainConfig;
  const report = lofoReport(
    loadMatcher(compileList(lexicon as typeof list)),
    readCorpora(),
    config,
    list.homophones,
    (s) => console.error(s),
  );
  printLofo(report, line);
  line('\nthe shipped model on its own training corpora (seen text):');
  for (const file of corpusFiles()) {
    const r = evaluateFile(matcher, readLabelled(file));
    line(
      `  ${familyOf(file).padEnd(22)} recall ${r.recall.toFixed(3)}  false-lead ${r.falseLeadRate.toFixed(3)}`,
    );
  }
} else {
  for (const file of files) {
    const lines = readLabelled(file);
    const r = evaluateFile(matcher, lines);
    const show = (title: string, items: typeof lines) => {
      line(`\n${title} (${items.length})`);
      for (const l of items) {
        const a = assess(matcher, l.text, { kind: l.kind, ...(l.parent ? { parent: l.parent } : {}) });
        line(`  ${l.id} [${l.line.kind}/${l.kind}] ${JSON.stringify(l.text)}\n    → ${a.verdict} ${a.why}`);
      }
    };
    line(`== ${file}`);
    // A sealed blind set is scored, never read: its lines stay out of sight so nothing is tuned
    // to them.
    if (!/[\\/]sealed[\\/]/.test(file)) {
      show('missed leads', r.misses);
      show('false leads', r.falseAlarms);
    }
    line(
      `lead recall ${r.recall.toFixed(3)} (${r.found}/${r.leads}), false-lead rate ${r.falseLeadRate.toFixed(3)} (${r.falseLeads}/${r.benign})`,
    );
  }
}
