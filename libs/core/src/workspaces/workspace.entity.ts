import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type OptInMode = 'consent' | 'disclaimer';

/** Sending rules a workspace can tighten beyond the law's defaults (docs/compliance.md). */
export interface WorkspacePolicy {
  quietHours: {
    /** Local time in the recipient's zone, "HH:MM", 24 h. Defaults to the federal 08:00–21:00. */
    start: string;
    end: string;
    /** Whether transactional messages may be sent outside the window. */
    exemptTransactional: boolean;
  };
  frequencyCap: {
    /** At most `count` messages of the capped types per contact in any rolling `windowHours`. */
    count: number;
    windowHours: number;
    types: string[];
  };
  /** A body longer than this many segments is refused at submit. */
  maxSegments: number;
  /** Appended to marketing messages that carry no opt-out language. */
  optOutFooter: string;
  /** The HELP answer ends with the person's preference-page link. */
  helpPreferenceLink?: boolean;
}

export const DEFAULT_WORKSPACE_POLICY: WorkspacePolicy = {
  quietHours: { start: '08:00', end: '21:00', exemptTransactional: true },
  frequencyCap: { count: 3, windowHours: 24, types: ['marketing'] },
  maxSegments: 6,
  optOutFooter: 'Reply STOP to opt out.',
  // helpPreferenceLink is left out on purpose: absent means off, and the column default
  // (migration 1763798400000) predates it.
};

@Entity({ name: 'workspace' })
@Check('CHK_workspace_opt_in_mode', `"opt_in_mode" IN ('consent', 'disclaimer')`)
export class Workspace {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  /** The name customers see in texts ("Acme Alerts"). */
  @Column({ name: 'brand_name', type: 'text' })
  brandName: string;

  @Column({ name: 'support_email', type: 'text', nullable: true })
  supportEmail: string | null;

  @Column({ name: 'support_phone', type: 'text', nullable: true })
  supportPhone: string | null;

  @Column({ name: 'support_url', type: 'text', nullable: true })
  supportUrl: string | null;

  /** ISO 3166-1 alpha-2, used to read national phone numbers. */
  @Column({ name: 'default_country', type: 'char', length: 2, default: 'US' })
  defaultCountry: string;

  /** IANA zone used when a contact's own zone cannot be known. */
  @Column({ name: 'time_zone', type: 'text', default: 'America/New_York' })
  timeZone: string;

  @Column({ name: 'opt_in_mode', type: 'text', default: 'consent' })
  optInMode: OptInMode;

  @Column({ type: 'jsonb', default: DEFAULT_WORKSPACE_POLICY })
  policy: WorkspacePolicy;

  /** Workspace-specific message texts (keyword replies, opt-in requests) keyed by text id. */
  @Column({ type: 'jsonb', default: {} })
  texts: Record<string, string>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
