import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

export const HUB_ROLES = ['all', 'api', 'worker'] as const;
export type HubRole = (typeof HUB_ROLES)[number];

export const SMS_PROVIDER_KINDS = ['console', 'twilio', 'http', 'null'] as const;
export type SmsProviderKind = (typeof SMS_PROVIDER_KINDS)[number];

const PORT_MESSAGE = 'PORT must be a whole number between 0 and 65535';

// Below 5 the workers' concurrent jobs (a flow step needs two connections) could starve the pool.
const POOL_MESSAGE = 'DATABASE_POOL_SIZE must be a whole number from 5 to 200';

const VENDOR_URL = /^https?:\/\/[^\s/]+\/?$/;

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : Number(value);

/**
 * The hub's whole configuration, read once from the environment at boot and validated.
 * Services receive this object by injection; nothing else reads `process.env`.
 */
export class AppConfig {
  @IsString()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/optline';

  @IsString()
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  @Transform(toInt)
  @IsInt({ message: PORT_MESSAGE })
  @Min(0, { message: PORT_MESSAGE })
  @Max(65535, { message: PORT_MESSAGE })
  PORT = 3000;

  @IsOptional()
  @IsString()
  @Matches(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, { message: 'PUBLIC_URL must be an http(s) URL such as https://sms.example.com' })
  PUBLIC_URL?: string = undefined;

  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'OPTLINE_ROOT_TOKEN must be at least 16 characters' })
  OPTLINE_ROOT_TOKEN?: string = undefined;

  /** Bearer token Prometheus sends to GET /metrics; without it the endpoint answers 404. */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters (try: openssl rand -hex 24)' })
  METRICS_TOKEN?: string = undefined;

  /**
   * The CPU priority (nice, 0–19) a worker-only process (HUB_ROLE=worker) gives itself at start
   * (decision 0269). On a host shared with api processes, the api's answers to carriers' webhooks
   * (a STOP must be answered fast) come before background sends; on a host of its own it changes
   * nothing. 0 leaves the priority as started.
   */
  @Transform(toInt)
  @IsInt({ message: 'WORKER_NICE must be a whole number from 0 to 19' })
  @Min(0, { message: 'WORKER_NICE must be a whole number from 0 to 19' })
  @Max(19, { message: 'WORKER_NICE must be a whole number from 0 to 19' })
  WORKER_NICE = 10;

  /**
   * Where a worker-only process (HUB_ROLE=worker) serves GET /metrics (with METRICS_TOKEN) and
   * GET /health/live; unset, it serves nothing. Processes with the API serve /metrics on PORT.
   */
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'METRICS_PORT must be a whole number between 1 and 65535' })
  @Min(1, { message: 'METRICS_PORT must be a whole number between 1 and 65535' })
  @Max(65535, { message: 'METRICS_PORT must be a whole number between 1 and 65535' })
  METRICS_PORT?: number = undefined;

  /**
   * An OpenTelemetry collector's OTLP/HTTP base URL (spans go to `<url>/v1/traces`); set, the hub
   * traces each webhook to its provider hand-off (docs/operations.md). Unset: no tracing.
   */
  @IsOptional()
  @IsString()
  @Matches(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, { message: 'OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL such as http://otel-collector:4318' })
  OTEL_EXPORTER_OTLP_ENDPOINT?: string = undefined;

  /** The `service.name` of the hub's spans. */
  @IsString()
  @MinLength(1, { message: 'OTEL_SERVICE_NAME must not be empty' })
  OTEL_SERVICE_NAME = 'optline-hub';

  /** 32 bytes, base64 or hex; encrypts plugin and provider secrets at rest. */
  @IsOptional()
  @Matches(/^([A-Fa-f0-9]{64}|[A-Za-z0-9+/]{43}=)$/, {
    message: 'OPTLINE_ENCRYPTION_KEY must be 32 bytes as 64 hex characters or 44 base64 characters (try: openssl rand -base64 32)',
  })
  OPTLINE_ENCRYPTION_KEY?: string = undefined;

  /** Older keys still accepted for decryption during a rotation: "keyId:key,keyId:key". */
  @IsOptional()
  @IsString()
  OPTLINE_PREVIOUS_ENCRYPTION_KEYS?: string = undefined;

  /** Key of the keyed hashes (phone hashes). Set it before rotating OPTLINE_ENCRYPTION_KEY. */
  @IsOptional()
  @Matches(/^([A-Fa-f0-9]{64}|[A-Za-z0-9+/]{43}=)$/, { message: 'OPTLINE_HASH_KEY must be 32 bytes as 64 hex or 44 base64 characters' })
  OPTLINE_HASH_KEY?: string = undefined;

  @IsIn(HUB_ROLES as unknown as string[], { message: `HUB_ROLE must be one of ${HUB_ROLES.join(', ')}` })
  HUB_ROLE: HubRole = 'all';

  @IsIn(SMS_PROVIDER_KINDS as unknown as string[], { message: `SMS_PROVIDER must be one of ${SMS_PROVIDER_KINDS.join(', ')}` })
  SMS_PROVIDER: SmsProviderKind = 'console';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
  })
  LOG_LEVEL = 'info';

  /** Prefix of every Redis key Bull writes; lets several hubs (or test files) share one Redis. */
  @IsString()
  @Matches(/^[A-Za-z0-9:_-]+$/, { message: 'QUEUE_PREFIX may hold letters, digits, ":", "_" and "-"' })
  QUEUE_PREFIX = 'optline';

  /**
   * `off` stops keeping report facts and rollups (docs/reporting.md): the send path then pays
   * nothing for reporting, and reports show what was kept until a recompute rebuilds the rest.
   */
  @IsIn(['on', 'off'], { message: 'REPORTING must be on or off' })
  REPORTING: 'on' | 'off' = 'on';

  @Transform(toInt)
  @IsInt({ message: POOL_MESSAGE })
  @Min(5, { message: POOL_MESSAGE })
  @Max(200, { message: POOL_MESSAGE })
  DATABASE_POOL_SIZE = 10;

  /**
   * Where the vendors' APIs are, for an egress proxy or a local fake (docs/plugins.md, "Vendor
   * addresses"). Unset means the vendor's own: Shopify's Admin API at each shop, HubSpot's API
   * (CRM, OAuth tokens, webhook subscriptions) and consent page, Google's Calendar API, token
   * endpoint and consent page.
   */
  @IsOptional()
  @Matches(VENDOR_URL, { message: 'SHOPIFY_ADMIN_URL must be an http(s) URL' })
  SHOPIFY_ADMIN_URL?: string = undefined;

  @IsOptional()
  @Matches(VENDOR_URL, { message: 'HUBSPOT_API_URL must be an http(s) URL such as https://api.hubapi.com' })
  HUBSPOT_API_URL?: string = undefined;

  @IsOptional()
  @Matches(VENDOR_URL, { message: 'HUBSPOT_APP_URL must be an http(s) URL such as https://app.hubspot.com' })
  HUBSPOT_APP_URL?: string = undefined;

  @IsOptional()
  @Matches(VENDOR_URL, { message: 'GOOGLE_API_URL must be an http(s) URL such as https://www.googleapis.com' })
  GOOGLE_API_URL?: string = undefined;

  @IsOptional()
  @Matches(VENDOR_URL, { message: 'GOOGLE_OAUTH_URL must be an http(s) URL such as https://oauth2.googleapis.com' })
  GOOGLE_OAUTH_URL?: string = undefined;

  @IsOptional()
  @Matches(VENDOR_URL, { message: 'GOOGLE_ACCOUNTS_URL must be an http(s) URL such as https://accounts.google.com' })
  GOOGLE_ACCOUNTS_URL?: string = undefined;

  /**
   * Outbound event webhooks (docs/webhooks.md): seconds to wait before each retry of a failed
   * delivery, comma-separated (the first attempt is immediate; one retry per entry). The default
   * is the Standard Webhooks schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h.
   */
  @Matches(/^\d+(\.\d+)?(,\d+(\.\d+)?){0,19}$/, { message: 'WEBHOOK_RETRY_SCHEDULE must be up to 20 comma-separated numbers of seconds, such as 5,300,1800' })
  WEBHOOK_RETRY_SCHEDULE = '5,300,1800,7200,18000,36000,36000';

  /** An endpoint whose last this many deliveries all failed every attempt is disabled, with the reason shown. */
  @Transform(toInt)
  @IsInt({ message: 'WEBHOOK_DISABLE_AFTER must be a whole number from 1 to 1000' })
  @Min(1, { message: 'WEBHOOK_DISABLE_AFTER must be a whole number from 1 to 1000' })
  @Max(1000, { message: 'WEBHOOK_DISABLE_AFTER must be a whole number from 1 to 1000' })
  WEBHOOK_DISABLE_AFTER = 5;

  /** Bull Board at /admin/queues for signed-in admins (`admins`, the default) or not at all (`off`). */
  @IsIn(['admins', 'off'], { message: 'QUEUE_DASHBOARD must be admins or off' })
  QUEUE_DASHBOARD: 'admins' | 'off' = 'admins';

  /** The retry delays of WEBHOOK_RETRY_SCHEDULE in milliseconds. */
  get webhookRetryDelaysMs(): number[] {
    return this.WEBHOOK_RETRY_SCHEDULE.split(',').map((s) => Math.round(Number(s) * 1000));
  }

  get publicUrl(): string {
    return (this.PUBLIC_URL ?? `http://localhost:${this.PORT}`).replace(/\/+$/, '');
  }

  get runsApi(): boolean {
    return this.HUB_ROLE !== 'worker';
  }

  get runsWorkers(): boolean {
    return this.HUB_ROLE !== 'api';
  }
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Builds the config from an environment map. Unknown variables are ignored; the first
 * invalid one is reported in a single line naming the variable and what it expects.
 */
export function loadAppConfig(env: Record<string, string | undefined>): AppConfig {
  const known = Object.keys(new AppConfig());
  const present: Record<string, string> = {};
  for (const key of known) {
    const value = env[key];
    if (value !== undefined && value !== '') present[key] = value;
  }
  const config = plainToInstance(AppConfig, present);
  const errors = validateSync(config, { forbidUnknownValues: false });
  if (errors.length > 0) {
    const first = errors[0];
    // Several constraints can fail at once (a word is neither an integer nor <= 65535); the
    // first declared one is the clearest.
    const message = Object.values(first.constraints ?? {}).at(-1) ?? 'is invalid';
    throw new ConfigError(`Invalid configuration: ${first.property}=${JSON.stringify(env[first.property] ?? '')}: ${message}`);
  }
  return config;
}
