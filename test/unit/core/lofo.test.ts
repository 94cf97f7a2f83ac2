/**
 * The honest estimate of detection on text never seen: each writer family scored by a model
 * trained, as `leadguard model train` trains the shipped one, on all the other families. The
 * floors sit a little under the figures measured when the model was trained (in the list's model
 * metrics and the README), so a change that makes detection generalise worse fails here.
 */
import { describe, expect, it } from 'vitest';
import { compileList } from '../../../src/core/compile-list';
import { defaultList } from '../../../src/core/default-list';
import type { List } from '../../../src/core/list-schema';
import { loadMatcher } from '../../../src/core/matcher';
import { trainConfigOf } from '../../../src/core/train';
import { readCorpora } from '../../../src/cli/corpora';
import { lofoReport } from '../../../src/cli/model';

const { model, ...lexicon } = defaultList();

describe('leave-one-family-out', () => {
  it(
    'finds most leads in families it never trained on, with few false leads',
    () => {
      const config = trainConfigOf(model!);
      const report = lofoReport(
        loadMatcher(compileList(lexicon as List)),
        readCorpora(),
        config,
        lexicon.homophones,
        () => {},
        model!.thresholds,
      );
      const summary = report.perFamily
        .map(([f, r]) => `${f} ${r.recall.toFixed(3)}/${r.falseLeadRate.toFixed(3)}`)
        .join(', ');
      expect(report.pooled.recall, summary).toBeGreaterThanOrEqual(0.92);
      expect(report.pooled.falseLeadRate, summary).toBeLessThanOrEqual(0.01);
      // No family is left behind: every one keeps most of its leads and few false leads. The
      // weakest held out are live-room funnels and agents posing as grateful peers (0.72–0.73:
      // their leads never name a service); the worst false-lead rate is a family of shops,
      // tutors and giveaways that use the agents' own funnels (扣1, 私信, 看主页): 0.051.
      for (const [family, r] of report.perFamily) {
        expect(r.recall, family).toBeGreaterThanOrEqual(0.7);
        expect(r.falseLeadRate, family).toBeLessThanOrEqual(0.06);
      }
      // The figures the trainer wrote into the list are the ones this run reproduces.
      expect(report.pooled.recall).toBeCloseTo(model!.metrics['lofo.recall']!, 2);
    },
    30 * 60_000,
  );
});
