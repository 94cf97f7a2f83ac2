/**
 * `leadguard serve --feed FEEDDIR [--port N]`: the reference server (Hono on Node) on 127.0.0.1,
 * serving the feed with ETags under /feed/. Runs until interrupted.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createApp } from '../server/app';
import { feedRoutes } from '../server/routes/feed';
import { startServer } from '../server/serve';
import type { Command } from './main';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve a feed over HTTP on 127.0.0.1 (the reference server)',
  async run(args, io) {
    let feed: string | undefined;
    let port = 8787;
    for (let i = 0; i < args.length; i++) {
      const arg = args[i]!;
      if (arg === '--feed') feed = args[++i];
      else if (arg === '--port') port = Number(args[++i]);
      else {
        io.stderr.write(
          `leadguard serve: unknown option ${arg}\nusage: leadguard serve --feed FEEDDIR [--port N]\n`,
        );
        return 2;
      }
    }
    if (!feed || !Number.isInteger(port) || port < 0 || port > 65535) {
      io.stderr.write('usage: leadguard serve --feed FEEDDIR [--port N]\n');
      return 2;
    }
    const dir = resolve(feed);
    if (!existsSync(join(dir, 'manifest.json'))) {
      io.stderr.write(
        `leadguard serve: no manifest.json in ${dir} (build one with leadguard feed build)\n`,
      );
      return 1;
    }
    const server = await startServer(createApp([feedRoutes(dir)]), port).catch((error: Error) => {
      io.stderr.write(`leadguard serve: cannot listen on 127.0.0.1:${port}: ${error.message}\n`);
      return null;
    });
    if (!server) return 1;
    io.stdout.write(`serving ${dir}\nfeed manifest: ${server.origin}/feed/manifest.json\n`);
    await new Promise<void>((done) => {
      const stop = () => void server.close().then(done);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  },
};
