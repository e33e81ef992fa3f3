import { Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { WorkerMetricsServer } from './worker-metrics-server';

/** How Prometheus reads a process: GET /metrics on the API, or a worker's own METRICS_PORT. */
@Module({ controllers: [MetricsController], providers: [WorkerMetricsServer] })
export class MetricsEndpointModule {}
