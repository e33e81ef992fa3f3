import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Contact } from '../contacts/contact.entity';
import { ContactGroup } from './contact-group.entity';

@Entity({ name: 'group_member' })
@Index('IDX_group_member_contact', ['contactId'])
export class GroupMember {
  @PrimaryColumn({ name: 'group_id', type: 'uuid', primaryKeyConstraintName: 'PK_group_member' })
  groupId: string;

  @PrimaryColumn({ name: 'contact_id', type: 'uuid', primaryKeyConstraintName: 'PK_group_member' })
  contactId: string;

  @ManyToOne(() => ContactGroup, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id', foreignKeyConstraintName: 'FK_group_member_group' })
  group?: ContactGroup;

  @ManyToOne(() => Contact, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'contact_id', foreignKeyConstraintName: 'FK_group_member_contact' })
  contact?: Contact;

  /** Denormalised so every membership query can be scoped by workspace on its own. */
  @Column({ name: 'workspace_id', type: 'uuid' })
  workspaceId: string;

  @CreateDateColumn({ name: 'added_at', type: 'timestamptz' })
  addedAt: Date;
}
