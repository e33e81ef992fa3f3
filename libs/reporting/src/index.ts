export * from './reporting.module';
export * from './reporting-api.module';
export * from './reporting-worker.module';
export { FactWriter } from './facts/fact-writer.service';
export { ReportQueryService, type ReportFilter, type ReportNumbers, type SeriesRow } from './query/report-query.service';
export { RecomputeService, type RecomputeStatus } from './recompute/recompute.service';
export { ReportSettingsService, DEFAULT_REPORT_SETTINGS, type ReportSettings } from './settings/report-settings.service';
