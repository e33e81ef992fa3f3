import { phoneGeo } from '../phone/phone-geo';
import type { Contact } from './contact.entity';

export type TimeZoneSource = 'contact' | 'phone' | 'workspace';

/** The zone(s) a contact is probably in, and what decided it. */
export interface ResolvedTimeZone {
  /** One zone, or several candidates when the number's exchange spans zones. */
  zones: string[];
  source: TimeZoneSource;
}

/**
 * Explicit zone first (contact setting, store address, calendar), then the phone number's
 * exchange, then the workspace's zone (docs/compliance.md "Which time zone").
 */
export async function resolveTimeZone(contact: Pick<Contact, 'timeZone' | 'phone'>, workspaceTimeZone: string): Promise<ResolvedTimeZone> {
  if (contact.timeZone) return { zones: [contact.timeZone], source: 'contact' };
  if (contact.phone) {
    const geo = await phoneGeo(contact.phone);
    if (geo.timeZones.length > 0) return { zones: geo.timeZones, source: 'phone' };
  }
  return { zones: [workspaceTimeZone], source: 'workspace' };
}
