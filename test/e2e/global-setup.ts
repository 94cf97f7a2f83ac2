import type { TestProject } from 'vitest/node';
import { findChromium, missingChromiumMessage } from '../../src/cli/chromium';
import { startDemoServer } from '../../src/cli/demo-server';

export default async function setup(project: TestProject) {
  if (!findChromium()) throw new Error(missingChromiumMessage);
  const server = await startDemoServer();
  project.provide('fixturePort', server.port);
  return () => server.close();
}
