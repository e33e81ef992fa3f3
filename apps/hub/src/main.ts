import './register-paths';
import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ConfigError, loadAppConfig, prepareDatabase, SetupService } from '@optline/core';
import { getPriority, setPriority } from 'node:os';
import { createHubApp } from './bootstrap';
import { loadEnvFileIfPresent } from './env-file';

async function main(): Promise<void> {
  const envFile = loadEnvFileIfPresent(process.env);
  const config = loadAppConfig(process.env);
  const applied = await prepareDatabase(config.DATABASE_URL);
  const app = await createHubApp({ config, bufferLogs: true });
  const logger = new Logger('Hub');
  if (envFile) logger.log(`settings read from ${envFile} (the environment wins over it)`);
  if (applied.length > 0) logger.log(`applied migrations: ${applied.join(', ')}`);
  if (!config.OPTLINE_ROOT_TOKEN) {
    logger.warn('OPTLINE_ROOT_TOKEN is not set: POST /v1/workspaces is closed; create workspaces with `npm run optline -- workspace create`');
  }
  if (config.runsApi) {
    await app.listen(config.PORT, '0.0.0.0');
    const routes = countRoutes(app);
    logger.log(
      `Optline hub (${config.HUB_ROLE}) listening on ${config.PORT}: ${routes} routes, workers ${config.runsWorkers ? 'on' : 'off'}, ` +
        `metrics ${config.METRICS_TOKEN ? 'at /metrics' : 'off (METRICS_TOKEN unset)'}; OpenAPI at ${config.publicUrl}/docs (LOG_LEVEL=debug lists every route)`,
    );
    // While nobody has an account, whoever can read this log may create the first workspace (decision 0172).
    const setupCode = await app.get(SetupService).issueCode();
    if (setupCode) logger.warn(`No account exists yet. Open ${config.publicUrl}/setup and enter the one-time setup code: ${setupCode}`);
  } else {
    await app.init();
    const nice = lowerCpuPriority(config.WORKER_NICE, logger);
    logger.log(`Optline hub running workers only (HUB_ROLE=worker), CPU priority nice ${nice}`);
  }
}

/**
 * A worker-only process yields the CPU to api processes on the same host (decision 0269). A
 * process already started nicer keeps its priority; one that may not change it says so.
 */
function lowerCpuPriority(nice: number, logger: Logger): number {
  const current = getPriority();
  if (nice <= current) return current;
  try {
    setPriority(nice);
    return nice;
  } catch (error) {
    logger.warn(`WORKER_NICE=${nice} not applied (${(error as Error).message}); the worker runs at nice ${current}`);
    return current;
  }
}

/** Routes Express mapped (Nest's own per-route lines are at debug). */
function countRoutes(app: NestExpressApplication): number {
  const express = app.getHttpAdapter().getInstance() as { router?: { stack: { route?: unknown }[] }; _router?: { stack: { route?: unknown }[] } };
  return (express.router ?? express._router)?.stack.filter((layer) => layer.route !== undefined).length ?? 0;
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`Optline hub failed to start: ${message}\n`);
  }
  process.exit(1);
});
