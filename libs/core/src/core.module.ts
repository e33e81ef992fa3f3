import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessGuard } from './auth/access.guard';
import { ApiKeyController } from './auth/api-key.controller';
import { ApiKey } from './auth/api-key.entity';
import { ApiKeyService } from './auth/api-key.service';
import { Clock, SystemClock } from './clock/clock';
import { AppConfig } from './config/app-config';
import { AppConfigModule } from './config/config.module';
import { CryptoModule } from './crypto/crypto.module';
import { DatabaseModule } from './database/database.module';
import { DomainEventBus } from './events/domain-event-bus';
import { DomainExceptionFilter } from './http/domain-exception.filter';
import { LoggingModule } from './logging/logging.module';
import { QueueModule } from './queue/queue.module';
import { MetricsModule } from './metrics/metrics.module';
import { TracingModule } from './tracing/tracing.module';
import { WorkspaceController } from './workspaces/workspace.controller';
import { Workspace } from './workspaces/workspace.entity';
import { WorkspaceService } from './workspaces/workspace.service';
import { WorkspaceReferences } from './workspaces/workspace-references';
import { BrandProfile, BrandProfileController, BrandProfileService } from './workspaces/brand';
import { AuditEvent } from './audit/audit-event.entity';
import { AuditTrail } from './audit/audit-trail.service';
import { AuditController } from './audit/audit.controller';
import { AuthController } from './identity/auth.controller';
import { InvitationsController, PasswordResetsController } from './identity/invitations.controller';
import { InvitationService } from './identity/invitation.service';
import { LoginThrottle } from './identity/login-throttle.service';
import { PasswordReset } from './identity/password-reset.entity';
import { PasswordResetService } from './identity/password-reset.service';
import { SessionService } from './identity/session.service';
import { SetupCode } from './identity/setup-code.entity';
import { SetupController } from './identity/setup.controller';
import { SetupService } from './identity/setup.service';
import { SignInService } from './identity/sign-in.service';
import { UserInvitation } from './identity/user-invitation.entity';
import { UserSession } from './identity/user-session.entity';
import { AppUser } from './identity/user.entity';
import { UserService } from './identity/user.service';
import { UsersController } from './identity/users.controller';

export interface CoreModuleOptions {
  /** Loaded and validated by the caller (see loadAppConfig). */
  config: AppConfig;
  /** Replaces the system clock (tests, simulator). */
  clock?: Clock;
}

/**
 * Config, database, queues, clock, crypto, logging, workspaces, API keys, people and their
 * sessions, and the access guard:
 * what every other library stands on.
 */
@Global()
@Module({})
export class CoreModule {
  static forRoot(options: CoreModuleOptions): DynamicModule {
    return {
      module: CoreModule,
      imports: [
        AppConfigModule.forRoot(options.config),
        LoggingModule,
        DatabaseModule,
        QueueModule,
        MetricsModule,
        TracingModule,
        CryptoModule,
        TypeOrmModule.forFeature([Workspace, ApiKey, AppUser, UserSession, UserInvitation, PasswordReset, SetupCode, AuditEvent, BrandProfile]),
      ],
      controllers: [WorkspaceController, BrandProfileController, ApiKeyController, SetupController, AuthController, UsersController, InvitationsController, PasswordResetsController, AuditController],
      providers: [
        { provide: Clock, useValue: options.clock ?? new SystemClock() },
        WorkspaceService,
        BrandProfileService,
        ApiKeyService,
        UserService,
        SessionService,
        SignInService,
        LoginThrottle,
        InvitationService,
        PasswordResetService,
        SetupService,
        AuditTrail,
        DomainEventBus,
        WorkspaceReferences,
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_FILTER, useClass: DomainExceptionFilter },
      ],
      exports: [Clock, WorkspaceService, BrandProfileService, ApiKeyService, UserService, SessionService, SetupService, PasswordResetService, AuditTrail, DomainEventBus, WorkspaceReferences, AppConfigModule, CryptoModule],
    };
  }
}
