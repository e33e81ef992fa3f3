import { Module } from '@nestjs/common';
import { ConsentModule } from './consent.module';
import { ContactImportProcessor } from './import/contact-import.processor';

/** The 'contacts.import' job handler (loaded only in processes that run workers). */
@Module({
  imports: [ConsentModule],
  providers: [ContactImportProcessor],
})
export class ContactImportWorkerModule {}
