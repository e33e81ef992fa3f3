import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';

/**
 * Reads `.env` from the working directory (where `npm start` runs: the repository root) into
 * `env`, for settings not already set: the real environment wins over the file, as with
 * `node --env-file`, so a deployment can override one value without editing the file. No file,
 * no change. Answers the path it read, if any.
 */
export function loadEnvFileIfPresent(env: NodeJS.ProcessEnv = process.env, path = resolve(process.cwd(), '.env')): string | undefined {
  if (!existsSync(path)) return undefined;
  for (const [name, value] of Object.entries(parseEnv(readFileSync(path, 'utf8')))) {
    if (env[name] === undefined) env[name] = value;
  }
  return path;
}
