/** Platforms the user paused LeadGuard on (from the popup). */
import { storage } from 'wxt/utils/storage';
import { z } from 'zod';
import { platformIds, type PlatformId } from '../sites/platforms';

const pausedItem = storage.defineItem<unknown>('local:paused-platforms', { fallback: [] });
const Paused = z.array(z.enum(platformIds));

export async function pausedPlatforms(): Promise<PlatformId[]> {
  const parsed = Paused.safeParse(await pausedItem.getValue());
  return parsed.success ? parsed.data : [];
}

export async function isPaused(platform: PlatformId | null): Promise<boolean> {
  return platform !== null && (await pausedPlatforms()).includes(platform);
}

export async function setPlatformPaused(platform: PlatformId, paused: boolean): Promise<void> {
  const current = new Set(await pausedPlatforms());
  if (paused) current.add(platform);
  else current.delete(platform);
  await pausedItem.setValue([...current].sort());
}
