import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppConfig, loadAppConfig, prepareDatabase } from '@optline/core';
import { loadEnvFileIfPresent } from './env-file';
import { HubModule } from './hub.module';

/** What the last command connected to, for the one-line "cannot reach Postgres" message. */
export const cliState = { databaseUrl: '' };

/** The configuration as the hub would read it (environment over .env), quiet logs. */
export function cliConfig(overrides: Record<string, string> = {}): AppConfig {
  loadEnvFileIfPresent(process.env);
  const config = loadAppConfig({ ...process.env, LOG_LEVEL: 'warn', ...overrides });
  cliState.databaseUrl = config.DATABASE_URL;
  return config;
}

/**
 * The whole hub without HTTP and without queue workers (HUB_ROLE=api, no port opened): every
 * service and every domain-event listener, so what a command does is announced as the API's
 * requests are (flows, outbound webhooks, reports). Work it queues is done by a running hub's
 * workers. Migrated first; closed after `work`.
 */
export async function withHub<T>(work: (app: INestApplicationContext, config: AppConfig) => Promise<T>): Promise<T> {
  const config = cliConfig({ HUB_ROLE: 'api' });
  await prepareDatabase(config.DATABASE_URL);
  const app = await NestFactory.createApplicationContext(HubModule.forRoot({ config }), { logger: ['error'] });
  try {
    return await work(app, config);
  } finally {
    await app.close();
  }
}
