import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ContactsModule } from '@optline/contacts';
import { ConsentService } from './consent.service';
import { Disclosure } from './disclosures/disclosure.entity';
import { DisclosureService } from './disclosures/disclosure.service';
import { ConsentErasureHook } from './erasure/consent-erasure.hook';
import { ContactImport, ContactImportChunk, ContactImportRejection } from './import/contact-import.entity';
import { ImportQueryService } from './import/import-query.service';
import { ImportRunnerService } from './import/import-runner.service';
import { ImportUploadService } from './import/import-upload.service';
import { ImportRepository } from './import/import.repository';
import { ConsentChainHasher } from './ledger/consent-chain';
import { ConsentEvent } from './ledger/consent-event.entity';
import { ConsentExportService } from './ledger/consent-export.service';
import { ConsentLedgerRepository } from './ledger/consent-ledger.repository';
import { ConsentLedgerService } from './ledger/consent-ledger.service';
import { ConsentQueryService } from './ledger/consent-query.service';
import { ConsentStateRow } from './ledger/consent-state.entity';
import { ConsentVerifyService } from './ledger/consent-verify.service';
import { OptOutBarriers } from './ledger/opt-out-barriers';
import { SendingLocks } from './ledger/sending-locks';
import { Suppression } from './suppression/suppression.entity';
import { SuppressionImportService } from './suppression/suppression-import.service';
import { SuppressionRepository } from './suppression/suppression.repository';
import { SuppressionService } from './suppression/suppression.service';
import { SendingFactsQuery } from './suppression/sending-facts.query';

/** The consent ledger and projection, disclosures, suppression and contact imports (services, no HTTP). */
@Module({
  imports: [
    ContactsModule,
    TypeOrmModule.forFeature([ConsentEvent, ConsentStateRow, Disclosure, Suppression, ContactImport, ContactImportChunk, ContactImportRejection]),
  ],
  providers: [
    ConsentChainHasher,
    ConsentLedgerRepository,
    ConsentLedgerService,
    OptOutBarriers,
    SendingLocks,
    ConsentQueryService,
    ConsentVerifyService,
    ConsentExportService,
    ConsentService,
    DisclosureService,
    SuppressionRepository,
    SuppressionService,
    SendingFactsQuery,
    SuppressionImportService,
    ConsentErasureHook,
    ImportRepository,
    ImportUploadService,
    ImportQueryService,
    ImportRunnerService,
  ],
  exports: [
    OptOutBarriers,
    SendingLocks,
    ConsentService,
    ConsentQueryService,
    ConsentVerifyService,
    ConsentExportService,
    ConsentLedgerService,
    DisclosureService,
    SuppressionService,
    SendingFactsQuery,
    SuppressionImportService,
    ImportUploadService,
    ImportQueryService,
    ImportRunnerService,
  ],
})
export class ConsentModule {}
