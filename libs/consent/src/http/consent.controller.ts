import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiErrors, Auth, AuthContext, Clock, RequirePermission } from '@optline/core';
import { sendStream } from '@optline/contacts';
import type { Response } from 'express';
import { ConsentExportService } from '../ledger/consent-export.service';
import { ConsentQueryService } from '../ledger/consent-query.service';
import { ConsentVerifyService } from '../ledger/consent-verify.service';
import { ConsentAtQueryDto, ConsentExportQueryDto } from './consent.dto';
import { ChainVerificationResponseDto, ConsentAtResponseDto } from './consent.responses';
import { presentEntry } from './presenters';

@ApiTags('consent')
@ApiBearerAuth()
@Controller('v1/consent')
export class ConsentController {
  constructor(
    private readonly verifier: ConsentVerifyService,
    private readonly query: ConsentQueryService,
    private readonly exporter: ConsentExportService,
    private readonly clock: Clock,
  ) {}

  @Get('verify')
  @RequirePermission('consent:read')
  @ApiOperation({ operationId: 'verifyConsentLedger', summary: "Recompute the workspace's ledger hash chain and report the first entry that does not verify" })
  @ApiOkResponse({ type: ChainVerificationResponseDto })
  @ApiErrors(401, 403)
  async verify(@Auth() auth: AuthContext): Promise<ChainVerificationResponseDto> {
    return this.verifier.verify(auth.workspaceId);
  }

  @Get('at')
  @RequirePermission('consent:read')
  @ApiOperation({ operationId: 'getConsentAt', summary: "A number's consent for a message type at an instant, and the ledger entry that established it" })
  @ApiOkResponse({ type: ConsentAtResponseDto })
  @ApiErrors(400, 401, 403, 422)
  async at(@Auth() auth: AuthContext, @Query() query: ConsentAtQueryDto): Promise<ConsentAtResponseDto> {
    const answer = await this.query.at(auth.workspaceId, query.phone, query.type, query.at ? new Date(query.at) : this.clock.now());
    return {
      ...answer,
      establishedBy: answer.establishedBy && presentEntry(answer.establishedBy),
      suppressionEntry: answer.suppressionEntry && presentEntry(answer.suppressionEntry),
    };
  }

  @Get('export')
  @RequirePermission('consent:read')
  @ApiOperation({ operationId: 'exportConsentLedger', summary: 'Stream every ledger entry (CSV or JSON), optionally for a period of the acts; sized for millions of rows' })
  @ApiProduces('text/csv', 'application/json')
  @ApiOkResponse({
    description: 'CSV (header row first) or a JSON array of ledger entries',
    content: {
      'text/csv': {
        schema: {
          type: 'string',
          example:
            'phone,consent_status,source,timestamp,disclosure_version,message_type,opt_out_timestamp,campaign_id,flow_id,entry_kind,contact_id,phone_hash,recorded_at,evidence,actor,disclosure_id,seq,entry_id,hash\n+14155550100,opted_in,web_form,2026-11-22T08:55:00.000Z,3,marketing,,,,consent,3f0c…,5b0e…,2026-11-22T08:55:00.120Z,"{""ip"":""203.0.113.9""}",,0d5e…,42,8a1c…,c41d…',
        },
      },
      'application/json': { schema: { type: 'array', items: { type: 'object', additionalProperties: true } } },
    },
  })
  @ApiErrors(400, 401, 403)
  export(@Auth() auth: AuthContext, @Query() query: ConsentExportQueryDto, @Res() res: Response): void {
    const format = query.format ?? 'csv';
    const body = this.exporter.stream(auth.workspaceId, format, query.from ? new Date(query.from) : undefined, query.to ? new Date(query.to) : undefined);
    sendStream(res, body, format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8', `consent-ledger.${format}`);
  }
}
