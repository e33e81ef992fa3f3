import { Foundation1763798400000 } from './1763798400000-foundation';
import { ContactsConsent1763798500000 } from './1763798500000-contacts-consent';
import { Messaging1763798600000 } from './1763798600000-messaging';
import { PluginSdk1763798700000 } from './1763798700000-plugin-sdk';
import { Flows1763798800000 } from './1763798800000-flows';
import { GoogleCalendar1763799100000 } from './1763799100000-google-calendar';
import { Conversations1763799200000 } from './1763799200000-conversations';
import { Identity1763799700000 } from './1763799700000-identity';
import { AuditTrail1763799800000 } from './1763799800000-audit-trail';
import { Audience1764900000000 } from './1764900000000-audience';
import { AudienceDates1764900100000 } from './1764900100000-audience-dates';
import { Reporting1765100000000 } from './1765100000000-reporting';
import { AgentsForUsers1765200000000 } from './1765200000000-agents-for-users';
import { ReportFactClickIndex1765300000000 } from './1765300000000-report-fact-click-index';
import { BrandProfile1765400240000 } from './1765400240000-brand-profile';
import { OutboundWebhooks1765540000000 } from './1765540000000-outbound-webhooks';
import { SegmentAttributeIndexes1765520000000 } from './1765520000000-segment-attribute-indexes';
import { LinkDomains1765560000000 } from './1765560000000-link-domains';
import { SendersAndHygiene1765570000000 } from './1765570000000-senders-and-hygiene';
import { ReconcilerPartialIndexes1765580000000 } from './1765580000000-reconciler-partial-indexes';
import { TriggerEventTrace1765590000000 } from './1765590000000-trigger-event-trace';

/**
 * The schema's history, oldest first. One ordered list for the whole hub (rather than one per
 * library) because tables reference each other across libraries and order matters.
 * Add a new migration at the end; never edit one that has landed.
 */
export const MIGRATIONS = [Foundation1763798400000, ContactsConsent1763798500000, Messaging1763798600000, PluginSdk1763798700000, Flows1763798800000, GoogleCalendar1763799100000, Conversations1763799200000, Identity1763799700000, AuditTrail1763799800000, Audience1764900000000, AudienceDates1764900100000, Reporting1765100000000, AgentsForUsers1765200000000, ReportFactClickIndex1765300000000, BrandProfile1765400240000, SegmentAttributeIndexes1765520000000, OutboundWebhooks1765540000000, LinkDomains1765560000000, SendersAndHygiene1765570000000, ReconcilerPartialIndexes1765580000000, TriggerEventTrace1765590000000];
