import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { MIGRATIONS } from './migrations';

/**
 * The TypeORM connection. Entities are registered by each library's module (forFeature) and
 * loaded automatically; the schema comes only from migrations (see prepare-database.ts).
 */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        type: 'postgres' as const,
        url: config.DATABASE_URL,
        autoLoadEntities: true,
        synchronize: false,
        migrations: MIGRATIONS,
        migrationsRun: false,
        poolSize: config.DATABASE_POOL_SIZE,
        extra: {
          application_name: `optline-${config.HUB_ROLE}`,
          // A flow step holds its run's transaction while the gateway takes a second connection:
          // with every connection held that way the pool would wait forever. A bounded wait turns
          // such a starvation into an error the job retries.
          connectionTimeoutMillis: 10_000,
        },
      }),
    }),
  ],
})
export class DatabaseModule {}
