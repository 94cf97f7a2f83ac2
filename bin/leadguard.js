#!/usr/bin/env node
// The `leadguard` command. Loads the TypeScript sources through tsx so the CLI and the extension
// share one engine with no separate build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
