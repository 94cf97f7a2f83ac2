// @vitest-environment happy-dom
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MatchPattern } from 'wxt/utils/match-patterns';
import { fixturesDir } from '../../../src/cli/demo-server';
import { adapters, platformAdapters } from '../../../src/sites';
import { platforms } from '../../../src/sites/platforms';

const root = join(import.meta.dirname, '../../..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

describe('the adapter registry', () => {
  it('has one adapter per supported platform, in platforms.ts order, plus the generic one', () => {
    expect(platformAdapters.map((a) => a.id)).toEqual(platforms.map((p) => p.id));
    expect(adapters.at(-1)!.id).toBe('generic');
  });

  describe.each(platformAdapters.map((a) => [a.id, a] as const))('%s', (id, adapter) => {
    it('cites the domain notes by their place beside the repository, not a machine path', () => {
      const source = readFileSync(join(root, 'src/sites', `${id}.ts`), 'utf8');
      const header = source.slice(0, source.indexOf('*/'));
      expect(header).toContain('../shared/domain/platforms.md');
      expect(header).toContain('../shared/domain/dom-evidence.md');
      // `/work/shared/domain/…` and the like: a path on one machine.
      expect(source).not.toMatch(/[\w-]\/shared\/domain\//);
    });

    it('is wired to a content script and listed in the README', () => {
      const entry = readFileSync(join(root, 'entrypoints', `${id}.content.ts`), 'utf8');
      expect(entry).toContain(`from '../src/sites/${id}'`);
      expect(readme).toContain(`src/sites/${id}.ts`);
    });

    it('has fixtures for its examples, and every page kind it names', () => {
      expect(readdirSync(join(fixturesDir, id)).length).toBeGreaterThan(0);
      const withFixtures = adapter.examples.filter((e) => e.fixture);
      expect(withFixtures.length).toBeGreaterThanOrEqual(2);
      for (const example of withFixtures)
        expect(existsSync(join(fixturesDir, example.fixture!)), example.fixture).toBe(true);
    });

    it('knows its own example URLs and matches none of the other platforms’', () => {
      for (const example of adapter.examples) {
        const url = new URL(example.url);
        expect(adapter.pageKind(url), example.url).toBe(example.kind);
        expect(
          adapter.matches.some((m) => new MatchPattern(m).includes(url)),
          example.url,
        ).toBe(true);
      }
      for (const other of platformAdapters.filter((a) => a !== adapter)) {
        for (const example of other.examples) {
          const url = new URL(example.url);
          expect(
            adapter.matches.some((m) => new MatchPattern(m).includes(url)),
            `${id} ↔ ${example.url}`,
          ).toBe(false);
          expect(adapter.pageKind(url), `${id} ↔ ${example.url}`).toBeNull();
        }
      }
    });
  });
});
