import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { ApiErrors, Auth, AuthContext, RequirePermission } from '@optline/core';
import { stringify } from 'csv-stringify/sync';
import type { Response } from 'express';
import { RegistrationKitService } from '../kit/registration-kit.service';
import { RegistrationKitQueryDto } from './registration-kit.query';
import { RegistrationKitResponseDto } from './registration-kit.responses';

const CSV_COLUMNS = ['use_case', 'message_type', 'senders', 'description', 'message_flow', 'sample_1', 'sample_2', 'sample_3', 'sample_4', 'sample_5', 'opt_out_keywords', 'opt_out_reply', 'help_keywords', 'help_reply', 'embedded_links', 'embedded_phone', 'age_gated', 'findings'];

@ApiTags('registration')
@ApiBearerAuth()
@ApiExtraModels(RegistrationKitResponseDto)
@Controller('v1/registration-kit')
export class RegistrationKitController {
  constructor(private readonly kits: RegistrationKitService) {}

  @Get()
  @RequirePermission('settings:read')
  @ApiOperation({ operationId: 'getRegistrationKit', summary: "Sender registration kit from the workspace's active flows, with what would get it rejected (?format=csv: one row per campaign)" })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ content: { 'application/json': { schema: { $ref: getSchemaPath(RegistrationKitResponseDto) } }, 'text/csv': { schema: { type: 'string', example: 'use_case,message_type,description,…' } } } })
  @ApiErrors(400, 401, 403)
  async get(@Auth() auth: AuthContext, @Query() query: RegistrationKitQueryDto, @Res({ passthrough: true }) res: Response): Promise<RegistrationKitResponseDto | void> {
    const kit = await this.kits.build(auth.workspaceId);
    if (query.format !== 'csv') return { ...kit, brand: { ...kit.brand, urlReachability: 'not_checked' } };
    const rows = kit.campaigns.map((c) => {
      const samples = Object.fromEntries([0, 1, 2, 3, 4].map((i) => [`sample_${i + 1}`, c.samples[i]?.text ?? '']));
      const findings = kit.findings.filter((f) => f.useCase === c.useCase || f.useCase === null);
      return {
        use_case: c.useCase,
        message_type: c.messageType,
        senders: c.senders.join(' '),
        description: c.description,
        message_flow: c.messageFlow,
        ...samples,
        opt_out_keywords: c.optOutKeywords.join(' '),
        opt_out_reply: c.optOutReply,
        help_keywords: c.helpKeywords.join(' '),
        help_reply: c.helpReply,
        embedded_links: c.embeddedLinks,
        embedded_phone: c.embeddedPhone,
        age_gated: c.ageGated,
        findings: findings.map((f) => `${f.code}${f.flowName ? ` (${f.flowName}/${f.stepId})` : ''}: ${f.message}`).join(' | '),
      };
    });
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="registration-kit.csv"');
    res.status(200).send(stringify(rows, { header: true, columns: CSV_COLUMNS, cast: { boolean: (b) => (b ? 'yes' : 'no') } }));
  }
}
