/**
 * Imported first by every entrypoint, before any schema exists: zod never tries to compile
 * parsers with `new Function`, which extension pages' CSP forbids (and reports, even when caught).
 * The CLI and tests keep zod's default.
 */
import { z } from 'zod';

z.config({ jitless: true });
