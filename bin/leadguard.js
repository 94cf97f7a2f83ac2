#!/usr/bin/env node
// The `leadguard` command. Loads the TypeScript sources through tsx so the CLI and the extension
// share one engine with no separate build step. Whatever goes wrong ends in one line, not a stack
// trace (LEADGUARD_DEBUG=1 shows it); a reader that closes the pipe early (`| head`) just ends it.
import { register } from 'tsx/esm/api';

process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});
try {
  register();
  const { main } = await import('../src/cli/main.ts');
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (process.env.LEADGUARD_DEBUG) console.error(error);
  const { escapeForTerminal } = await import('../src/cli/cli-error.ts').catch(() => ({
    // The engine didn't even load: keep printable ASCII only.
    escapeForTerminal: (s) => String(s).replace(/[^ -~]/g, '?'),
  }));
  process.stderr.write(`leadguard: ${escapeForTerminal(error?.message ?? String(error))}\n`);
  process.exitCode = 2;
}
