import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ContactErasureHooks } from './contacts/contact-erasure.hooks';
import { ContactExportService } from './contacts/contact-export.service';
import { Contact } from './contacts/contact.entity';
import { ContactRepository } from './contacts/contact.repository';
import { ContactService } from './contacts/contact.service';
import { ContactGroup } from './groups/contact-group.entity';
import { GroupMember } from './groups/group-member.entity';
import { GroupRepository } from './groups/group.repository';
import { GroupService } from './groups/group.service';
import { PhoneGeoCheck } from './phone/phone-geo.check';

/** Contacts and groups: the services other libraries call (no HTTP). */
@Module({
  imports: [TypeOrmModule.forFeature([Contact, ContactGroup, GroupMember])],
  providers: [ContactRepository, ContactService, ContactErasureHooks, ContactExportService, GroupRepository, GroupService, { provide: PhoneGeoCheck, useFactory: () => new PhoneGeoCheck() }],
  exports: [ContactService, ContactErasureHooks, ContactExportService, GroupService],
})
export class ContactsModule {}
