import { Module } from '@nestjs/common';
import { ReportsController } from './http/reports.controller';
import { ReportingModule } from './reporting.module';

/** The reporting HTTP surface: /v1/reports. */
@Module({ imports: [ReportingModule], controllers: [ReportsController] })
export class ReportingApiModule {}
