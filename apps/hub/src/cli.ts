import './register-paths';
import { NestFactory } from '@nestjs/core';
import { ConfigError, CoreModule, CreateWorkspaceDto, DomainError, loadAppConfig, prepareDatabase, validateObject, WorkspaceService } from '@optline/core';
import { parseArgs } from 'node:util';
import { loadEnvFileIfPresent } from './env-file';

const USAGE = `Usage:
  npm run optline -- workspace create --name "Acme" [--brand "Acme Alerts"] [--time-zone America/Chicago] [--country US]
`;

/** Operator commands that need no HTTP server. */
async function main(argv: string[]): Promise<void> {
  const [group, command, ...rest] = argv;
  if (group !== 'workspace' || command !== 'create') {
    process.stderr.write(USAGE);
    process.exit(2);
  }
  const { values } = parseArgs({
    args: rest,
    options: { name: { type: 'string' }, brand: { type: 'string' }, 'time-zone': { type: 'string' }, country: { type: 'string' } },
  });
  if (!values.name) {
    process.stderr.write(`--name is required\n${USAGE}`);
    process.exit(2);
  }
  const dto = validateObject(CreateWorkspaceDto, {
    name: values.name,
    brandName: values.brand,
    timeZone: values['time-zone'],
    defaultCountry: values.country,
  });
  loadEnvFileIfPresent(process.env);
  const config = loadAppConfig({ ...process.env, LOG_LEVEL: 'warn' });
  await prepareDatabase(config.DATABASE_URL);
  const app = await NestFactory.createApplicationContext(CoreModule.forRoot({ config }), { logger: ['error'] });
  try {
    const { workspace, adminKey } = await app.get(WorkspaceService).create(dto);
    process.stdout.write(
      `${JSON.stringify({ workspaceId: workspace.id, name: workspace.name, adminApiKey: adminKey.secret }, null, 2)}\n` +
        'Keep the admin API key now: it is stored hashed and cannot be shown again.\n',
    );
  } finally {
    await app.close();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof DomainError;
  process.stderr.write(`${known ? '' : 'optline: '}${(error as Error).message}\n`);
  process.exit(1);
});
