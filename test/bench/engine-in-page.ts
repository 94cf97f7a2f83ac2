/**
 * Bundled by bench:page (esbuild, IIFE) and run inside the benchmark page, without the extension:
 * the engine alone (`assess`) over the same block texts the scan reads, with the shipped list and
 * with the same list without its `model` section. The floor the page scan's CPU is compared with.
 */
import { compileList } from '../../src/core/compile-list';
import { defaultList } from '../../src/core/default-list';
import { loadMatcher, type Matcher } from '../../src/core/matcher';
import { assess, type AssessOptions } from '../../src/core/score';
import { blockText } from '../../src/page/block-text';
import { douyin } from '../../src/sites/douyin';

interface Job {
  text: string;
  options: AssessOptions;
}

/**
 * The scan's engine work: every block text (a reply with its parent), and every author's display
 * name once (the scan assesses each account's name as `kind: 'name'`, once per account).
 */
function jobs(): { blocks: Job[]; names: Job[] } {
  const blocks = [...douyin.blocks(document)];
  const names = new Map<string, Job>();
  for (const b of blocks) {
    const a = b.author;
    if (a?.handle)
      names.set(`${a.platform}\u0000${a.id}\u0000${a.handle}`, {
        text: a.handle,
        options: { kind: 'name' },
      });
  }
  return {
    blocks: blocks.map((b) => {
      const context = b.context?.length ? blockText(b.context, douyin.ignore).text : '';
      return {
        text: blockText(b.text, douyin.ignore).text,
        options: {
          kind: b.kind,
          ...(b.author ? { author: { platform: b.author.platform, id: b.author.id } } : {}),
          ...(context ? { parent: context } : {}),
        },
      };
    }),
    names: [...names.values()],
  };
}

function cpu(matcher: Matcher, work: Job[]): number {
  const t0 = performance.now();
  for (const j of work) assess(matcher, j.text, j.options);
  return performance.now() - t0;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

(globalThis as unknown as { leadguardEngine: unknown }).leadguardEngine = {
  run(rounds = 5) {
    const { blocks, names } = jobs();
    const work = [...blocks, ...names];
    const list = defaultList();
    const { model: _model, ...withoutModel } = list;
    const shipped = loadMatcher(compileList(list));
    const bare = loadMatcher(compileList(withoutModel));
    // The first run compiles the code paths, as the page's scan does: reported, not the floor.
    const coldMs = cpu(shipped, work);
    cpu(bare, work);
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < rounds; i++) {
      a.push(cpu(shipped, work));
      b.push(cpu(bare, work));
    }
    return {
      blocks: blocks.length,
      names: names.length,
      coldMs,
      chars: blocks.reduce((n, j) => n + j.text.length, 0),
      hasModel: list.model !== undefined,
      assessMs: median(a),
      assessNoModelMs: median(b),
    };
  },
};
