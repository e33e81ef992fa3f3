import { Module } from '@nestjs/common';
import { ContactController } from './contacts/contact.controller';
import { ContactsModule } from './contacts.module';
import { GroupController } from './groups/group.controller';

/** The contacts and groups HTTP API. */
@Module({
  imports: [ContactsModule],
  controllers: [ContactController, GroupController],
})
export class ContactsApiModule {}
