// fastscan ships no types; only what the benchmark uses.
declare module 'fastscan' {
  export default class FastScanner {
    constructor(words: string[]);
    /** [offset, word] pairs, all overlapping matches. */
    search(content: string, options?: { quick?: boolean; longest?: boolean }): [number, string][];
  }
}
