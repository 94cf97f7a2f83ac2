import { errorLine } from './cli-error';
import { feedCommand } from './feed';
import { modelCommand } from './model';
import { reportCommand } from './report';
import { scanCommand } from './scan';
import { serveCommand } from './serve';

/**
 * `leadguard <command>`: the command-line face of the engine. Commands register here.
 */
export interface Command {
  readonly name: string;
  readonly summary: string;
  run(args: string[], io: CommandIO): Promise<number>;
}

export interface CommandIO {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

const commands: Command[] = [scanCommand, modelCommand, feedCommand, serveCommand, reportCommand];

export function usage(): string {
  const lines = commands.map((c) => `  ${c.name.padEnd(8)} ${c.summary}`);
  return ['usage: leadguard <command> [options]', '', 'commands:', ...lines].join('\n');
}

export async function main(
  argv: string[],
  io: CommandIO = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(`${usage()}\n`);
    return name ? 0 : 2;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`${errorLine('leadguard', `unknown command '${name}'`)}${usage()}\n`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    // Whatever a command didn't expect is still one line, not a stack trace.
    io.stderr.write(
      errorLine(`leadguard ${command.name}`, (error as Error)?.message ?? String(error)),
    );
    return 2;
  }
}
