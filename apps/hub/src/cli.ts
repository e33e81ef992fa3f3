import './register-paths';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  ApiKeyService,
  AuditTrail,
  InvitationService,
  ConfigError,
  CoreModule,
  CreateWorkspaceDto,
  DomainError,
  JobQueue,
  MIGRATIONS,
  redisTarget,
  loadAppConfig,
  PasswordResetService,
  prepareDatabase,
  Role,
  ROLES,
  UserService,
  validateObject,
  WorkspaceService,
} from '@optline/core';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { cliState } from './cli-context';
import { demo, DemoAlreadyThere } from './cli-demo';
import { importContacts } from './cli-import';
import { CommandHelp, databaseProblem, flagError, helpText, UsageError } from './cli-support';
import { loadEnvFileIfPresent } from './env-file';

/** How the audit trail names what the operator did from the command line. */
const OPERATOR = 'operator:cli';

interface Command extends CommandHelp {
  run: (args: string[]) => Promise<void>;
}

const WORKSPACE_ID: [string, string] = ['--workspace <id>', 'the workspace id (a UUID; see `workspace list`)'];

const COMMANDS: Record<string, Command> = {
  'workspace create': {
    summary: 'Creates a workspace and prints its first admin API key (once).',
    usage: '--name "Acme" [--brand "Acme Alerts"] [--time-zone America/Chicago] [--country US]',
    flags: [
      ['--name <name>', 'the workspace name (required)'],
      ['--brand <name>', 'the brand texts are signed with (default: the name)'],
      ['--time-zone <zone>', 'IANA time zone for quiet hours and schedules (default UTC)'],
      ['--country <code>', 'ISO country for numbers written without +'],
    ],
    run: createWorkspace,
  },
  'workspace list': {
    summary: 'Lists the workspaces: id, name, time zone, creation date.',
    usage: '[--json]',
    flags: [['--json', 'print JSON instead of a table']],
    run: listWorkspaces,
  },
  'user reset-password': {
    summary: 'Prints a one-time reset link for a person, or sets their password read from stdin (their sessions end).',
    usage: '--email dana@acme.test [--password-stdin]',
    flags: [
      ['--email <email>', 'the account (required)'],
      ['--password-stdin', 'read the new password from stdin instead of printing a link'],
    ],
    run: resetPassword,
  },
  'user invite': {
    summary: 'Prints an invitation link for a person to join a workspace.',
    usage: '--workspace <id> --email sam@acme.test [--role admin]',
    flags: [WORKSPACE_ID, ['--email <email>', 'who is invited (required)'], ['--role <role>', `one of ${ROLES.join(', ')} (default admin)`]],
    run: inviteUser,
  },
  'api-key create': {
    summary: 'Creates an API key (when every admin key is lost) and prints it once.',
    usage: '--workspace <id> [--role admin] [--name "Recovery key"]',
    flags: [WORKSPACE_ID, ['--role <role>', `one of ${ROLES.join(', ')} (default admin)`], ['--name <name>', 'a label for the key']],
    run: createApiKey,
  },
  'api-key revoke': {
    summary: 'Revokes an API key: requests with it are refused from now on.',
    usage: '--workspace <id> --id <key id>',
    flags: [WORKSPACE_ID, ['--id <key id>', 'the key id (not the key itself; see GET /v1/api-keys)']],
    run: revokeApiKey,
  },
  'migrate status': {
    summary: 'Lists the database migrations, applied and pending. Changes nothing.',
    usage: '',
    flags: [],
    run: migrateStatus,
  },
  'migrate run': {
    summary: 'Creates the database if needed and applies pending migrations (the hub also does at start).',
    usage: '',
    flags: [],
    run: migrateRun,
  },
  import: {
    summary: 'Imports contacts (and their consent) from a CSV file, as POST /v1/contacts/import does, with a progress bar on stderr.',
    usage: '<file.csv> --workspace <id> [--consent-types marketing,transactional] [--disclosure <id>] [--note "Spring sign-up sheets"] [--announce]',
    flags: [
      ['<file.csv>', 'columns: phone (required), first_name, last_name, email, time_zone, consent, consent_types, consent_source, consent_timestamp, external_id.<source>; others become attributes'],
      WORKSPACE_ID,
      ['--consent-types <list>', 'types a consent column applies to when the row names none (default marketing)'],
      ['--disclosure <id>', 'the disclosure the list was collected under'],
      ['--note <text>', 'kept as evidence on every imported consent entry (at most 500 characters)'],
      ['--announce', "announce imported consent changes (starts flows, plugin write-back); off by default"],
    ],
    run: (args) => importContacts(args, OPERATOR),
  },
  demo: {
    summary: 'Fills a workspace with demo data so the console has something to show: contacts and their consent, flows, web-form sign-ups (events), texts sent and blocked, texts from clients. Refuses a workspace that already has it.',
    usage: '[--workspace <id>] [--json]',
    flags: [
      ['--workspace <id>', 'the workspace to fill (default: the only one; see `workspace list`)'],
      ['--json', 'print what was made as JSON'],
    ],
    run: (args) => demo(args, OPERATOR),
  },
  status: {
    summary: 'What is running: database, migrations, workspaces, and per queue its jobs and connected workers.',
    usage: '[--json]',
    flags: [['--json', 'print JSON']],
    run: status,
  },
};

/** Flags by the DTO field validation names. */
const FLAG_OF: Record<string, string> = { name: '--name', brandName: '--brand', timeZone: '--time-zone', defaultCountry: '--country', workspace: '--workspace', role: '--role', email: '--email', id: '--id' };

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, command]) => `  npm run optline -- ${name} ${command.usage}`.trimEnd());
  return `Usage:\n${lines.join('\n')}\n\nHelp on one command: npm run optline -- <command> --help\n`;
}

/** Operator commands that need no HTTP server. */
async function main(argv: string[]): Promise<void> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    process.stdout.write(usage());
    process.exit(argv.length === 0 ? 2 : 0);
  }
  const name = COMMANDS[argv[0]] ? argv[0] : `${argv[0]} ${argv[1] ?? ''}`;
  const command = COMMANDS[name];
  const rest = argv.slice(name.split(' ').length);
  if (!command) {
    process.stderr.write(`Unknown command "${argv.slice(0, 2).join(' ')}".\n${usage()}`);
    process.exit(2);
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(helpText(name, command));
    return;
  }
  try {
    await command.run(rest);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (error instanceof UsageError || code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' || code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      process.stderr.write(`${(error as Error).message}\n\n${helpText(name, command)}`);
      process.exit(2);
    }
    if (error instanceof DemoAlreadyThere) {
      process.stderr.write(`${error.message}\n`);
      process.exit(3);
    }
    if (error instanceof DomainError) {
      process.stderr.write(`${flagError(error, FLAG_OF)}\n`);
      process.exit(1);
    }
    throw error;
  }
}

let databaseUrl = '';

/** The core services on the configured database (migrated first unless `migrate` is false), closed after `work`. */
async function withCore(work: (app: INestApplicationContext) => Promise<void>, options: { migrate?: boolean } = {}): Promise<void> {
  loadEnvFileIfPresent(process.env);
  const config = loadAppConfig({ ...process.env, LOG_LEVEL: 'warn' });
  databaseUrl = config.DATABASE_URL;
  if (options.migrate !== false) await prepareDatabase(config.DATABASE_URL);
  const app = await NestFactory.createApplicationContext(CoreModule.forRoot({ config }), { logger: ['error'] });
  try {
    await work(app);
  } finally {
    await app.close();
  }
}

function requireWorkspaceId(value: string | undefined): string {
  if (!value) throw new UsageError('--workspace is required');
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) throw new UsageError(`--workspace: "${value}" is not a workspace id (a UUID; see \`workspace list\`)`);
  return value;
}

function requireRole(value: string | undefined): Role {
  const role = (value ?? 'admin') as Role;
  if (!ROLES.includes(role)) throw new UsageError(`--role: must be one of ${ROLES.join(', ')}`);
  return role;
}

async function createWorkspace(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { name: { type: 'string' }, brand: { type: 'string' }, 'time-zone': { type: 'string' }, country: { type: 'string' } },
  });
  if (!values.name) throw new UsageError('--name is required');
  const dto = validateObject(CreateWorkspaceDto, {
    name: values.name,
    brandName: values.brand,
    timeZone: values['time-zone'],
    defaultCountry: values.country,
  });
  await withCore(async (app) => {
    const { workspace, adminKey } = await app.get(WorkspaceService).create(dto);
    process.stdout.write(
      `${JSON.stringify({ workspaceId: workspace.id, name: workspace.name, adminApiKey: adminKey.secret }, null, 2)}\n` +
        'Keep the admin API key now: it is stored hashed and cannot be shown again.\n',
    );
  });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  // One trailing newline is the terminal's (echo, a here-string), not the password's.
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** A person locked out: a one-time link for them, or a new password set here (their sessions end either way it is used). */
async function resetPassword(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { email: { type: 'string' }, 'password-stdin': { type: 'boolean' }, password: { type: 'string' } } });
  if (!values.email) throw new UsageError('--email is required');
  if (values.password !== undefined && values['password-stdin']) throw new UsageError('give --password or --password-stdin, not both');
  const password = values['password-stdin'] ? await readStdin() : values.password;
  await withCore(async (app) => {
    if (password === undefined) {
      const { user, url, expiresAt } = await app.get(PasswordResetService).issue(values.email!);
      await app.get(AuditTrail).record(user.workspaceId, OPERATOR, 'user.reset_link_issued', user.id);
      process.stdout.write(
        `${JSON.stringify({ email: values.email, resetUrl: url, expiresAt }, null, 2)}\n` + 'Send the link to its owner: it works once, for 24 hours.\n',
      );
      return;
    }
    const users = app.get(UserService);
    const user = await users.byEmail(values.email!);
    if (!user) throw new DomainError('not_found', 'user_not_found', `No account has the email ${values.email}`);
    await users.setPassword(user.workspaceId, user.id, password);
    await app.get(AuditTrail).record(user.workspaceId, OPERATOR, 'user.password_set', user.id);
    process.stdout.write(`Password set for ${user.email}; every session of the account has ended.\n`);
  });
}

/** A person for an existing workspace (one made before people could sign in): the link is printed once. */
async function inviteUser(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { workspace: { type: 'string' }, email: { type: 'string' }, role: { type: 'string' } } });
  requireWorkspaceId(values.workspace);
  if (!values.email) throw new UsageError('--email is required');
  const role = requireRole(values.role);
  await withCore(async (app) => {
    const workspace = await app.get(WorkspaceService).get(values.workspace!);
    const { invitation, url } = await app.get(InvitationService).issue(workspace.id, OPERATOR, values.email!, role);
    await app.get(AuditTrail).record(workspace.id, OPERATOR, 'invitation.created', invitation.id, { email: invitation.email, role });
    process.stdout.write(
      `${JSON.stringify({ workspaceId: workspace.id, email: invitation.email, role, inviteUrl: url, expiresAt: invitation.expiresAt }, null, 2)}\n` +
        'Send the link to its owner: it works once, for 7 days.\n',
    );
  });
}

/** A new key when every admin key is lost; printed once. */
async function createApiKey(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { workspace: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' } } });
  requireWorkspaceId(values.workspace);
  const role = requireRole(values.role);
  await withCore(async (app) => {
    const workspace = await app.get(WorkspaceService).get(values.workspace!);
    const { apiKey, secret } = await app.get(ApiKeyService).issue(workspace.id, values.name ?? `Recovery key (${role})`, role);
    await app.get(AuditTrail).record(workspace.id, OPERATOR, 'api_key.created', apiKey.id, { role });
    process.stdout.write(
      `${JSON.stringify({ workspaceId: workspace.id, id: apiKey.id, name: apiKey.name, role: apiKey.role, key: secret }, null, 2)}\n` +
        'Keep the key now: it is stored hashed and cannot be shown again.\n',
    );
  });
}

async function listWorkspaces(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' } } });
  await withCore(async (app) => {
    const rows: { id: string; name: string; time_zone: string; created_at: Date }[] = await app
      .get(DataSource)
      .query('SELECT id, name, time_zone, created_at FROM workspace ORDER BY created_at, id');
    if (values.json) {
      process.stdout.write(`${JSON.stringify(rows.map((r) => ({ id: r.id, name: r.name, timeZone: r.time_zone, createdAt: r.created_at })), null, 2)}\n`);
      return;
    }
    if (rows.length === 0) {
      process.stdout.write('No workspaces yet: npm run optline -- workspace create --name "Acme"\n');
      return;
    }
    const width = Math.max(4, ...rows.map((r) => r.name.length));
    process.stdout.write(`${'ID'.padEnd(36)}  ${'NAME'.padEnd(width)}  ${'TIME ZONE'.padEnd(20)}  CREATED\n`);
    for (const r of rows) process.stdout.write(`${r.id}  ${r.name.padEnd(width)}  ${r.time_zone.padEnd(20)}  ${r.created_at.toISOString()}\n`);
  });
}

async function revokeApiKey(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { workspace: { type: 'string' }, id: { type: 'string' } } });
  const workspaceId = requireWorkspaceId(values.workspace);
  if (!values.id) throw new UsageError('--id is required (the key id, not the key)');
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(values.id)) throw new UsageError(`--id: "${values.id}" is not a key id (a UUID; the key itself starts with olk_)`);
  await withCore(async (app) => {
    const workspace = await app.get(WorkspaceService).get(workspaceId);
    const key = await app.get(ApiKeyService).revoke(workspace.id, values.id!);
    await app.get(AuditTrail).record(workspace.id, OPERATOR, 'api_key.revoked', key.id);
    process.stdout.write(`Key ${key.id} (${key.name}, ${key.role}) revoked at ${key.revokedAt!.toISOString()}.\n`);
  });
}

/** Applied and pending migrations, read without changing anything (no database is created). */
async function migrationStates(url: string): Promise<{ name: string; applied: boolean }[]> {
  const dataSource = new DataSource({ type: 'postgres', url, migrations: MIGRATIONS });
  await dataSource.initialize();
  try {
    const table: { exists: boolean }[] = await dataSource.query("SELECT to_regclass('public.migrations') IS NOT NULL AS exists");
    const applied = new Set<string>(table[0].exists ? (await dataSource.query('SELECT name FROM migrations')).map((r: { name: string }) => r.name) : []);
    return dataSource.migrations.map((m) => ({ name: m.name ?? m.constructor.name, applied: applied.has(m.name ?? m.constructor.name) }));
  } finally {
    await dataSource.destroy();
  }
}

async function migrateStatus(args: string[]): Promise<void> {
  parseArgs({ args, options: {} });
  loadEnvFileIfPresent(process.env);
  const config = loadAppConfig({ ...process.env, LOG_LEVEL: 'warn' });
  databaseUrl = config.DATABASE_URL;
  const states = await migrationStates(config.DATABASE_URL);
  for (const m of states) process.stdout.write(`${m.applied ? 'applied' : 'pending'}  ${m.name}\n`);
  const pending = states.filter((m) => !m.applied).length;
  process.stdout.write(pending === 0 ? `All ${states.length} migrations applied.\n` : `${pending} pending: npm run optline -- migrate run\n`);
}

async function migrateRun(args: string[]): Promise<void> {
  parseArgs({ args, options: {} });
  loadEnvFileIfPresent(process.env);
  const config = loadAppConfig({ ...process.env, LOG_LEVEL: 'warn' });
  databaseUrl = config.DATABASE_URL;
  const applied = await prepareDatabase(config.DATABASE_URL);
  process.stdout.write(applied.length === 0 ? 'Nothing to apply: the database is up to date.\n' : `Applied ${applied.length}: ${applied.join(', ')}\n`);
}

async function status(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' } } });
  loadEnvFileIfPresent(process.env);
  const config = loadAppConfig({ ...process.env, LOG_LEVEL: 'warn' });
  databaseUrl = config.DATABASE_URL;
  const migrations = await migrationStates(config.DATABASE_URL);
  const pending = migrations.filter((m) => !m.applied).length;
  await withCore(
    async (app) => {
      const workspaces = pending === migrations.length ? 0 : Number((await app.get(DataSource).query('SELECT count(*)::int AS n FROM workspace'))[0].n);
      const queues = await Promise.all(
        app.get(JobQueue).all().map(async (queue) => {
          const [counts, workers] = await Promise.all([queue.getJobCounts(), queue.getWorkers()]);
          const c = counts as unknown as Record<string, number | undefined>;
          return { queue: queue.name, workers: workers.length, waiting: c.waiting ?? 0, active: c.active ?? 0, delayed: c.delayed ?? 0, failed: c.failed ?? 0 };
        }),
      );
      const report = { database: 'up', migrations: { total: migrations.length, pending }, workspaces, redis: 'up', queues };
      if (values.json) {
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        return;
      }
      process.stdout.write(`Database: up, ${migrations.length - pending}/${migrations.length} migrations applied${pending ? ` (${pending} pending: migrate run)` : ''}, ${workspaces} workspaces\n`);
      process.stdout.write(`Redis: up (${redisTarget(config.REDIS_URL)}, prefix ${config.QUEUE_PREFIX})\n`);
      const running = Math.max(0, ...queues.map((q) => q.workers));
      process.stdout.write(running === 0 ? 'Workers: none connected (is a hub with HUB_ROLE=all or worker running?)\n' : `Workers: connected to the queues below\n`);
      process.stdout.write(`${'QUEUE'.padEnd(14)} ${'WORKERS'.padStart(7)} ${'WAITING'.padStart(8)} ${'ACTIVE'.padStart(7)} ${'DELAYED'.padStart(8)} ${'FAILED'.padStart(7)}\n`);
      for (const q of queues) {
        process.stdout.write(`${q.queue.padEnd(14)} ${String(q.workers).padStart(7)} ${String(q.waiting).padStart(8)} ${String(q.active).padStart(7)} ${String(q.delayed).padStart(8)} ${String(q.failed).padStart(7)}\n`);
      }
    },
    { migrate: false },
  );
}

main(process.argv.slice(2))
  .then(() => process.exit(0))
  .catch((error: unknown) => {
    const url = databaseUrl || cliState.databaseUrl;
    const database = url ? databaseProblem(error, url) : undefined;
    const known = error instanceof ConfigError || error instanceof DomainError;
    process.stderr.write(`${database ?? `${known ? '' : 'optline: '}${(error as Error).message}`}\n`);
    process.exit(1);
  });
