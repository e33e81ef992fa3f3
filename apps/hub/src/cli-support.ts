import { DomainError } from '@optline/core';

/** A command's help: what it does, its flags and an example. */
export interface CommandHelp {
  usage: string;
  summary: string;
  flags: [flag: string, description: string][];
}

export class UsageError extends Error {}

export function helpText(name: string, help: CommandHelp): string {
  const width = Math.max(0, ...help.flags.map(([flag]) => flag.length));
  const flags = help.flags.map(([flag, description]) => `  ${flag.padEnd(width)}  ${description}`).join('\n');
  return `${help.summary}\n\nUsage: npm run optline -- ${name} ${help.usage}\n${flags ? `\nFlags:\n${flags}\n` : ''}`;
}

/**
 * Validation names DTO fields (`timeZone`); the operator typed flags (`--time-zone`). An error
 * about a field is reworded with the flag it came from.
 */
export function flagError(error: DomainError, flagOf: Record<string, string>): string {
  if (error.details.length === 0) return error.message;
  return error.details
    .map((detail) => {
      const field = detail.field?.split('.')[0];
      const flag = field ? (flagOf[field] ?? `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`) : undefined;
      // class-validator's messages often start with the property name ("timeZone must be …").
      const message = field && detail.message.startsWith(`${field} `) ? detail.message.slice(field.length + 1) : detail.message;
      return flag ? `${flag}: ${message}` : message;
    })
    .join('\n');
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET']);

/** One line for a database the CLI cannot use, naming what to check; undefined for any other error. */
export function databaseProblem(error: unknown, databaseUrl: string): string | undefined {
  const code = (error as { code?: string }).code;
  let where = 'the database';
  try {
    const url = new URL(databaseUrl);
    where = `Postgres at ${url.hostname}:${url.port || '5432'}`;
  } catch {
    // an unparsable URL is reported by the config validation before we get here
  }
  if (code && CONNECTION_CODES.has(code)) return `cannot reach ${where} (${code}): check that Postgres runs and DATABASE_URL (environment or .env)`;
  if (code === '28P01' || code === '28000') return `${where} refused the credentials in DATABASE_URL (${code}): check the user and password`;
  if (code === '3D000') return `${where} has no such database (${code}): check the database name in DATABASE_URL, or run \`npm run optline -- migrate run\``;
  return undefined;
}
