import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { PERMISSIONS, Role, ROLES } from '../auth/permissions';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password-hasher';

const PASSWORD_DOC = { example: 'correct horse battery staple', minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH, format: 'password' };

// Requests. A short password is a 422 from the service (the rule is the product's, not the wire's).

export class SetupDto {
  @ApiProperty({ example: 'K7QM-2VXR-9HTD-4WBN', description: 'Printed in the hub log at boot while no account exists' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  setupCode: string;

  @ApiProperty({ example: 'Acme Inc.' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  workspaceName: string;

  @ApiProperty({ example: 'Acme Alerts', description: 'The name customers see in texts' })
  @IsString()
  @MinLength(1)
  @MaxLength(60)
  brandName: string;

  @ApiProperty({ example: 'dana@acme.test' })
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty(PASSWORD_DOC)
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password: string;

  @ApiProperty({ example: 'Dana Reyes' })
  @IsString()
  @MinLength(1)
  @MaxLength(80)
  displayName: string;
}

export class LoginDto {
  @ApiProperty({ example: 'dana@acme.test' })
  @IsString()
  @MinLength(1)
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'correct horse battery staple', format: 'password' })
  @IsString()
  @MinLength(1)
  @MaxLength(PASSWORD_MAX_LENGTH)
  password: string;
}

export class CreateInvitationDto {
  @ApiProperty({ example: 'sam@acme.test' })
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ enum: ROLES, example: 'support' })
  @IsIn(ROLES as unknown as string[])
  role: Role;
}

export class AcceptInvitationDto {
  @ApiProperty({ example: 'Sam Ortiz' })
  @IsString()
  @MinLength(1)
  @MaxLength(80)
  displayName: string;

  @ApiProperty(PASSWORD_DOC)
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password: string;
}

export class ResetPasswordDto {
  @ApiProperty(PASSWORD_DOC)
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password: string;
}

export class ChangePasswordDto {
  @ApiProperty({ example: 'correct horse battery staple', format: 'password' })
  @IsString()
  @MinLength(1)
  @MaxLength(PASSWORD_MAX_LENGTH)
  currentPassword: string;

  @ApiProperty(PASSWORD_DOC)
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  newPassword: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional({ enum: ROLES, example: 'marketing' })
  @IsOptional()
  @IsIn(ROLES as unknown as string[])
  role?: Role;

  @ApiPropertyOptional({ example: 'Sam Ortiz' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(80)
  displayName?: string;
}

/** Invitation and reset links carry a token in the path; anything else is a 400, not a lookup. */
export class LinkTokenParamDto {
  @ApiProperty({ example: 'oli_q2V0b0Z1bGx5UmFuZG9tQnl0ZXNIZXJlMTIzNDU2Nzg' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{8,200}$/, { message: 'token must be the token from the link' })
  token: string;
}

// Answers.

export class UserDto {
  @ApiProperty({ format: 'uuid', example: '5d1f0c2e-7b1a-4c56-9a0e-3c9f1b2a4d77' })
  id: string;

  @ApiProperty({ example: 'dana@acme.test' })
  email: string;

  @ApiProperty({ example: 'Dana Reyes' })
  displayName: string;

  @ApiProperty({ enum: ROLES, example: 'admin' })
  role: Role;
}

export class WorkspaceSummaryDto {
  @ApiProperty({ format: 'uuid', example: '3f0c1a52-5a53-4a0b-9d2c-2f7a4b1b9e10' })
  id: string;

  @ApiProperty({ example: 'Acme Inc.' })
  name: string;

  @ApiProperty({ example: 'Acme Alerts' })
  brandName: string;
}

export class SignedInDto {
  @ApiProperty({ type: UserDto })
  user: UserDto;

  @ApiProperty({ type: WorkspaceSummaryDto })
  workspace: WorkspaceSummaryDto;

  @ApiProperty({ example: 'Hq3xv0oS0cWl3k7c2yq2V1v8i3y4Gd9m1n2b3v4c5x6', description: 'Also in the optline_csrf cookie; send it as X-CSRF-Token on every change' })
  csrfToken: string;
}

export class MeDto {
  @ApiProperty({ type: UserDto })
  user: UserDto;

  @ApiProperty({ type: WorkspaceSummaryDto })
  workspace: WorkspaceSummaryDto;

  @ApiProperty({ enum: PERMISSIONS, isArray: true, example: ['settings:read', 'contacts:read'] })
  permissions: string[];
}

export class SetupStatusDto {
  @ApiProperty({ example: true, description: 'True while no account exists on this hub' })
  needsSetup: boolean;
}

export class SessionDto {
  @ApiProperty({ format: 'uuid', example: '0b7e5f1a-2c3d-4e5f-8a9b-0c1d2e3f4a5b' })
  id: string;

  @ApiProperty({ example: '2026-12-07T08:00:00.000Z' })
  createdAt: Date;

  @ApiProperty({ example: '2026-12-07T09:30:00.000Z' })
  lastSeenAt: Date;

  @ApiProperty({ type: String, nullable: true, example: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) Safari/605.1.15' })
  userAgent: string | null;

  @ApiProperty({ type: String, nullable: true, example: '203.0.113.9' })
  ip: string | null;

  @ApiProperty({ example: true, description: 'The session this request came with' })
  current: boolean;
}

export class SessionListDto {
  @ApiProperty({ type: SessionDto, isArray: true })
  items: SessionDto[];
}

export class UserListItemDto extends UserDto {
  @ApiProperty({ example: '2026-12-07T08:00:00.000Z' })
  createdAt: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2026-12-07T09:00:00.000Z' })
  lastSignInAt: Date | null;
}

export class UserListDto {
  @ApiProperty({ type: UserListItemDto, isArray: true })
  items: UserListItemDto[];
}

export class InvitationDto {
  @ApiProperty({ format: 'uuid', example: '8d2b6a0c-1e3f-4a5b-9c7d-2e4f6a8b0c1d' })
  id: string;

  @ApiProperty({ example: 'sam@acme.test' })
  email: string;

  @ApiProperty({ enum: ROLES, example: 'support' })
  role: Role;

  @ApiProperty({ enum: ['pending', 'accepted', 'revoked', 'expired'], example: 'pending' })
  status: string;

  @ApiProperty({ example: 'user:5d1f0c2e-7b1a-4c56-9a0e-3c9f1b2a4d77', description: '`user:<id>` or `api_key:<id>`' })
  invitedBy: string;

  @ApiProperty({ example: '2026-12-07T08:00:00.000Z' })
  createdAt: Date;

  @ApiProperty({ example: '2026-12-14T08:00:00.000Z' })
  expiresAt: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null })
  acceptedAt: Date | null;
}

export class CreatedInvitationDto {
  @ApiProperty({ format: 'uuid', example: '8d2b6a0c-1e3f-4a5b-9c7d-2e4f6a8b0c1d' })
  id: string;

  @ApiProperty({ example: 'sam@acme.test' })
  email: string;

  @ApiProperty({ enum: ROLES, example: 'support' })
  role: Role;

  @ApiProperty({ example: 'https://sms.acme.test/invite/oli_q2V0b0Z1bGx5UmFuZG9tQnl0ZXM', description: 'Shown once: the token is stored hashed' })
  url: string;

  @ApiProperty({ example: '2026-12-14T08:00:00.000Z' })
  expiresAt: Date;
}

export class InvitationListDto {
  @ApiProperty({ type: InvitationDto, isArray: true })
  items: InvitationDto[];
}

export class InvitationPreviewDto {
  @ApiProperty({ example: 'sam@acme.test' })
  email: string;

  @ApiProperty({ enum: ROLES, example: 'support' })
  role: Role;

  @ApiProperty({ example: 'Acme Inc.' })
  workspaceName: string;
}

export class PasswordResetPreviewDto {
  @ApiProperty({ example: 'dana@acme.test' })
  email: string;
}
