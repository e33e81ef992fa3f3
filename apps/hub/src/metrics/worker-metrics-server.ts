import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig, Metrics, STATUS_BY_KIND } from '@optline/core';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { metricsTokenRefusal } from './metrics-token';

/**
 * A worker-only process (HUB_ROLE=worker) serves no API, yet it is where messages are sent,
 * providers answer and reconcilers re-arm, so its counters exist only there. With METRICS_PORT
 * set it answers GET /metrics (same token as the API's) and GET /health/live on that port, and
 * nothing else (decision 0263).
 */
@Injectable()
export class WorkerMetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WorkerMetricsServer.name);
  private server: Server | null = null;

  constructor(
    private readonly metrics: Metrics,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): Promise<number | null> {
    return this.config.runsApi ? Promise.resolve(null) : this.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.close();
  }

  /** Listens on METRICS_PORT; a port already taken is logged, and the worker goes on working. */
  async start(): Promise<number | null> {
    const port = this.config.METRICS_PORT;
    if (port === undefined) return null;
    const server = createServer((req, res) => void this.answer(req, res));
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '0.0.0.0', () => resolve());
      });
    } catch (error) {
      this.logger.error(`metrics port ${port} could not be opened (${(error as Error).message}); this worker runs without /metrics — give each worker its own METRICS_PORT`);
      return null;
    }
    this.server = server;
    this.logger.log(`worker metrics at http://0.0.0.0:${port}/metrics${this.config.METRICS_TOKEN ? '' : ' (answers 404 until METRICS_TOKEN is set)'}`);
    return port;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/health/live') return this.json(res, 200, { status: 'ok', role: 'worker' });
    if (req.method !== 'GET' || path !== '/metrics') return this.json(res, 404, { code: 'route_not_found', message: `Cannot ${req.method} ${path}: this port serves GET /metrics and GET /health/live`, details: [] });
    const refusal = metricsTokenRefusal(this.config.METRICS_TOKEN, req.headers.authorization);
    if (refusal) return this.json(res, STATUS_BY_KIND[refusal.kind], { code: refusal.code, message: refusal.message, details: [] });
    try {
      const { contentType, body } = await this.metrics.render();
      res.writeHead(200, { 'Content-Type': contentType }).end(body);
    } catch (error) {
      this.logger.warn({ err: error }, 'metrics could not be rendered');
      this.json(res, 503, { code: 'metrics_unavailable', message: 'The metrics could not be read (is Redis reachable?); try again', details: [] });
    }
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
  }
}
