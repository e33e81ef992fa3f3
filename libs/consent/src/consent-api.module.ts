import { Module } from '@nestjs/common';
import { ConsentModule } from './consent.module';
import { ConsentController } from './http/consent.controller';
import { ContactConsentController } from './http/contact-consent.controller';
import { DisclosureController } from './http/disclosure.controller';
import { ImportController } from './http/import.controller';
import { SuppressionController } from './http/suppression.controller';

/** The consent, disclosure, suppression and import HTTP API. */
@Module({
  imports: [ConsentModule],
  controllers: [ContactConsentController, ConsentController, DisclosureController, SuppressionController, ImportController],
})
export class ConsentApiModule {}
