import { isIanaZone } from '@optline/core';

/** Which source decided the recipient's zone (recorded with every quiet-hours decision). */
export type ZoneSource = 'contact' | 'phone_exchange' | 'workspace' | 'workspace_unknown_number';

export interface ZoneResolution {
  zones: string[];
  source: ZoneSource;
}

/**
 * The recipient's candidate zones, in docs/compliance.md's order: an explicit zone (contact setting,
 * store address, calendar attendee), else the zones of the number's exchange, else the
 * workspace's. A toll-free or unknown number has no usable zone: it is held to the workspace's,
 * and the source says so.
 */
export function resolveZones(explicitZone: string | null | undefined, exchangeZones: string[], workspaceZone: string): ZoneResolution {
  if (explicitZone && isIanaZone(explicitZone)) return { zones: [explicitZone], source: 'contact' };
  const valid = exchangeZones.filter((z) => isIanaZone(z));
  if (valid.length > 0) return { zones: [...new Set(valid)], source: 'phone_exchange' };
  return { zones: [workspaceZone], source: exchangeZones.length === 0 ? 'workspace_unknown_number' : 'workspace' };
}
