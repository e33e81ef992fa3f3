import { loadAppConfig } from '@optline/core';
import { load } from 'js-yaml';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseEnv } from 'node:util';

// Docker does not run where these tests run; this pins what the files promise an operator.
const ROOT = resolve(__dirname, '../..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

describe('deployment files', () => {
  it('config/.env.example holds no root or metrics token that would pass validation', () => {
    const example = parseEnv(read('config/.env.example'));
    const config = loadAppConfig({ ...example, OPTLINE_ENCRYPTION_KEY: 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=' });
    expect(config.OPTLINE_ROOT_TOKEN).toBeUndefined();
    expect(config.METRICS_TOKEN).toBeUndefined();
  });

  it('the Dockerfile builds in one stage and runs production dependencies as a non-root user with a readiness check', () => {
    const dockerfile = read('Dockerfile');
    const stages = dockerfile.split(/^FROM /m).slice(1);
    expect(stages).toHaveLength(2);
    expect(stages[0]).toMatch(/^RUN npm ci\b(?!.*--omit)/m);
    expect(stages[0]).toMatch(/^RUN npm run build$/m);
    expect(stages[1]).toMatch(/^RUN npm ci --omit=dev/m);
    expect(stages[1]).toMatch(/^USER node$/m);
    expect(stages[1]).toMatch(/^HEALTHCHECK [\s\S]*\/health\/ready/m);
    expect(stages[1]).not.toMatch(/^COPY \. \./m);
  });

  it('docker-compose.yml runs the built image without source mounts, keeps Postgres and Redis unpublished and checks the hub', () => {
    const compose = load(read('docker-compose.yml')) as { services: Record<string, { ports?: string[]; volumes?: string[]; build?: unknown; healthcheck?: { test: string[] } }> };
    expect(compose.services.postgres.ports).toBeUndefined();
    expect(compose.services.redis.ports).toBeUndefined();
    expect(compose.services.hub.build).toBe('.');
    expect((compose.services.hub.volumes ?? []).some((v) => v.startsWith('.'))).toBe(false);
    expect(compose.services.hub.healthcheck?.test.join(' ')).toContain('/health/ready');
  });
});
