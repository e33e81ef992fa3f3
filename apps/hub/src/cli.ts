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
  invalidField,
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
import { loadEnvFileIfPresent } from './env-file';

const USAGE = `Usage:
  npm run optline -- workspace create --name "Acme" [--brand "Acme Alerts"] [--time-zone America/Chicago] [--country US]
  npm run optline -- user reset-password --email dana@acme.test                      (prints a one-time reset link)
  npm run optline -- user reset-password --email dana@acme.test --password-stdin     (sets the password read from stdin)
  npm run optline -- user invite --workspace <workspace id> --email sam@acme.test --role admin  (prints an invitation link)
  npm run optline -- api-key create --workspace <workspace id> --role admin [--name "Recovery key"]
`;

/** How the audit trail names what the operator did from the command line. */
const OPERATOR = 'operator:cli';

class UsageError extends Error {}

type Command = (args: string[]) => Promise<void>;

const COMMANDS: Record<string, Command> = {
  'workspace create': createWorkspace,
  'user reset-password': resetPassword,
  'user invite': inviteUser,
  'api-key create': createApiKey,
};

/** Operator commands that need no HTTP server. */
async function main(argv: string[]): Promise<void> {
  const [group, command, ...rest] = argv;
  const run = COMMANDS[`${group} ${command}`];
  if (!run) {
    process.stderr.write(USAGE);
    process.exit(2);
  }
  try {
    await run(rest);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n${USAGE}`);
    process.exit(2);
  }
}

/** The core services on the configured database (migrated first), closed after `work`. */
async function withCore(work: (app: INestApplicationContext) => Promise<void>): Promise<void> {
  loadEnvFileIfPresent(process.env);
  const config = loadAppConfig({ ...process.env, LOG_LEVEL: 'warn' });
  await prepareDatabase(config.DATABASE_URL);
  const app = await NestFactory.createApplicationContext(CoreModule.forRoot({ config }), { logger: ['error'] });
  try {
    await work(app);
  } finally {
    await app.close();
  }
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
  if (!values.workspace || !values.email) throw new UsageError('--workspace and --email are required');
  const role = (values.role ?? 'admin') as Role;
  if (!ROLES.includes(role)) throw invalidField('role', `must be one of ${ROLES.join(', ')}`);
  if (!/^[0-9a-f-]{36}$/i.test(values.workspace)) throw invalidField('workspace', 'must be a workspace id (a UUID)');
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
  if (!values.workspace) throw new UsageError('--workspace is required');
  const role = (values.role ?? 'admin') as Role;
  if (!ROLES.includes(role)) throw invalidField('role', `must be one of ${ROLES.join(', ')}`);
  if (!/^[0-9a-f-]{36}$/i.test(values.workspace)) throw invalidField('workspace', 'must be a workspace id (a UUID)');
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

main(process.argv.slice(2)).catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof DomainError;
  process.stderr.write(`${known ? '' : 'optline: '}${(error as Error).message}\n`);
  process.exit(1);
});
