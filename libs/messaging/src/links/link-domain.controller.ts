import { Body, Controller, Delete, Get, Header, HttpCode, Post, Put, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ApiErrors, AppConfig, Auth, AuthContext, DomainError, Public, RequirePermission } from '@optline/core';
import { IsString, MaxLength } from 'class-validator';
import type { Request } from 'express';
import { VERIFICATION_PATH } from './link-domain-probe';
import { LinkDomain } from './link-domain.entity';
import { LinkDomainService } from './link-domain.service';

export class SetLinkDomainDto {
  @ApiProperty({ example: 'go.harbor-dental.com', description: 'The host name links are written on once it is verified (no scheme, port or path).' })
  @IsString()
  @MaxLength(253)
  domain: string;
}

export class LinkDomainDnsDto {
  @ApiProperty({ example: 'CNAME' })
  type: string;

  @ApiProperty({ example: 'go.harbor-dental.com' })
  name: string;

  @ApiProperty({ example: 'sms.example.com', description: "The hub's host (PUBLIC_URL), or your proxy's when TLS ends there." })
  value: string;
}

export class LinkDomainDto {
  @ApiProperty({ type: String, nullable: true, example: 'go.harbor-dental.com', description: 'null: links use the hub\'s PUBLIC_URL.' })
  domain: string | null;

  @ApiProperty({ example: false })
  verified: boolean;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  verifiedAt: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  checkedAt: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Why the last check failed.' })
  checkError: string | null;

  @ApiProperty({ example: 'https://hub.example.com', description: 'Where links go while no domain is verified.' })
  fallbackBaseUrl: string;

  @ApiProperty({ type: LinkDomainDnsDto, nullable: true, description: 'The DNS record that points the domain at the hub.' })
  dns: LinkDomainDnsDto | null;

  @ApiProperty({ type: String, nullable: true, example: 'https://go.harbor-dental.com/.well-known/optline-link-domain', description: 'What the check asks; it must answer `verificationToken`.' })
  verificationUrl: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'k3J9xQ2mVb7RtY5nWc1ZpA8s', description: 'The hub answers it at the verification URL by itself once the domain reaches it.' })
  verificationToken: string | null;
}

/** A workspace's branded short-link domain (decision 0255). */
@ApiTags('links')
@ApiBearerAuth()
@Controller('v1/link-domain')
export class LinkDomainController {
  constructor(
    private readonly domains: LinkDomainService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @RequirePermission('settings:read')
  @ApiOperation({ operationId: 'getLinkDomain', summary: "The workspace's short-link domain, its DNS record and whether it is verified" })
  @ApiOkResponse({ type: LinkDomainDto })
  @ApiErrors(401, 403)
  async get(@Auth() auth: AuthContext): Promise<LinkDomainDto> {
    return this.view(await this.domains.get(auth.workspaceId));
  }

  @Put()
  @RequirePermission('settings:write')
  @ApiOperation({ operationId: 'setLinkDomain', summary: 'Set the short-link domain (links keep using PUBLIC_URL until it is verified)' })
  @ApiOkResponse({ type: LinkDomainDto })
  @ApiErrors(400, 401, 403, { status: 409, description: "link_domain_taken: another workspace's domain" }, 422)
  async set(@Auth() auth: AuthContext, @Body() body: SetLinkDomainDto): Promise<LinkDomainDto> {
    return this.view(await this.domains.set(auth.workspaceId, body.domain));
  }

  @Post('verify')
  @HttpCode(200)
  @RequirePermission('settings:write')
  @ApiOperation({ operationId: 'verifyLinkDomain', summary: 'Check that the domain reaches this hub (it must answer the token at its verification URL); verified domains carry the links' })
  @ApiOkResponse({ type: LinkDomainDto })
  @ApiErrors(401, 403, 404)
  async verify(@Auth() auth: AuthContext): Promise<LinkDomainDto> {
    return this.view(await this.domains.verify(auth.workspaceId));
  }

  @Delete()
  @RequirePermission('settings:write')
  @ApiOperation({ operationId: 'removeLinkDomain', summary: 'Stop using the short-link domain: new links use PUBLIC_URL (links sent on the domain stop resolving once it no longer reaches the hub)' })
  @ApiOkResponse({ type: LinkDomainDto })
  @ApiErrors(401, 403)
  async remove(@Auth() auth: AuthContext): Promise<LinkDomainDto> {
    await this.domains.remove(auth.workspaceId);
    return this.view(null);
  }

  private view(row: LinkDomain | null): LinkDomainDto {
    const hub = new URL(this.config.publicUrl);
    return {
      domain: row?.domain ?? null,
      verified: !!row?.verifiedAt,
      verifiedAt: row?.verifiedAt?.toISOString() ?? null,
      checkedAt: row?.checkedAt?.toISOString() ?? null,
      checkError: row?.checkError ?? null,
      fallbackBaseUrl: this.config.publicUrl,
      dns: row ? { type: 'CNAME', name: row.domain, value: hub.hostname } : null,
      verificationUrl: row ? `https://${row.domain}${VERIFICATION_PATH}` : null,
      verificationToken: row?.verificationToken ?? null,
    };
  }
}

/** What a branded domain answers when it reaches the hub: the owning workspace's token, by Host. */
@ApiTags('links')
@Controller('.well-known')
export class LinkDomainVerificationController {
  constructor(private readonly domains: LinkDomainService) {}

  @Get('optline-link-domain')
  @Public()
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiProduces('text/plain')
  @ApiOperation({ operationId: 'linkDomainVerification', summary: "The verification token of the link domain named by the Host header (how a domain proves it reaches this hub)" })
  @ApiOkResponse({ description: 'The token, as text', schema: { type: 'string' } })
  @ApiErrors({ status: 404, description: 'link_domain_not_found: the Host is no workspace\'s link domain' })
  async token(@Req() req: Request): Promise<string> {
    const token = await this.domains.tokenFor(req.hostname);
    if (!token) throw new DomainError('not_found', 'link_domain_not_found', 'This host is not a link domain of this hub');
    return token;
  }
}
