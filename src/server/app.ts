/**
 * The reference server's app factory: one Hono app, shared middleware, and route modules mounted
 * under their own prefix (the feed under /feed, the report API under /v1, the reviewer page under
 * /review). Each module sets its own CORS: feeds are public, reports only for the extension. Runs
 * on Node through serve.ts; tests call `app.request()` without a socket.
 */
import { Hono } from 'hono';

/** A route module: a prefix and the sub-app that answers under it. */
export interface RouteModule {
  prefix: string;
  app: Hono;
}

export function createApp(modules: readonly RouteModule[]): Hono {
  const app = new Hono();
  for (const module of modules) app.route(module.prefix, module.app);
  app.get('/', (c) => c.json({ name: 'leadguard', routes: modules.map((m) => m.prefix) }));
  app.notFound((c) => c.json({ error: `nothing at ${new URL(c.req.url).pathname}` }, 404));
  app.onError((error, c) => {
    console.error('[leadguard serve]', error);
    return c.json({ error: 'internal error' }, 500);
  });
  return app;
}
