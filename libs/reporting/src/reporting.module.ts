import { Module } from '@nestjs/common';
import { PluginSdkModule } from '@optline/plugin-sdk';
import { ConversionConsumer } from './facts/conversion.consumer';
import { FactWriter } from './facts/fact-writer.service';
import { ReportingEventsListener } from './facts/reporting-events.listener';
import { ReportQueryService } from './query/report-query.service';
import { RecomputeService } from './recompute/recompute.service';
import { ReportSettingsService } from './settings/report-settings.service';

/**
 * Reporting without HTTP: the listeners that turn domain events into facts and rollups, the
 * conversion consumer, queries and the recompute. Loaded by the API and worker modules alike —
 * status changes and clicks happen in both kinds of process — and instantiated once per process.
 */
@Module({
  imports: [PluginSdkModule],
  providers: [FactWriter, ReportingEventsListener, ConversionConsumer, ReportSettingsService, ReportQueryService, RecomputeService],
  exports: [FactWriter, ReportSettingsService, ReportQueryService, RecomputeService],
})
export class ReportingModule {}
