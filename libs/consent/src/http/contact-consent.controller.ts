import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, Auth, AuthContext, Clock, DomainError, IdParamDto, invalidField, RequirePermission, roleAllows, WorkspaceReferences } from '@optline/core';
import { ConsentLedgerService } from '../ledger/consent-ledger.service';
import { ConsentQueryService } from '../ledger/consent-query.service';
import { RecordConsentDto } from './consent.dto';
import { ContactConsentResponseDto, RecordedConsentResponseDto } from './consent.responses';
import { presentEntry } from './presenters';

/** Acts later than this after the clock's now are refused (a consent cannot come from the future). */
const FUTURE_SKEW_MS = 5 * 60_000;

@ApiTags('consent')
@ApiBearerAuth()
@Controller('v1/contacts/:id/consent')
export class ContactConsentController {
  constructor(
    private readonly ledger: ConsentLedgerService,
    private readonly query: ConsentQueryService,
    private readonly clock: Clock,
    private readonly references: WorkspaceReferences,
  ) {}

  @Get()
  @RequirePermission('consent:read')
  @ApiOperation({ operationId: 'getContactConsent', summary: "A contact's consent per message type, with its ledger history (newest first)" })
  @ApiOkResponse({ type: ContactConsentResponseDto })
  @ApiErrors(400, 401, 403, 404)
  async get(@Auth() auth: AuthContext, @Param() params: IdParamDto): Promise<ContactConsentResponseDto> {
    const consent = await this.query.ofContact(auth.workspaceId, params.id);
    return { contactId: consent.contactId, states: consent.states, history: consent.history.map(presentEntry) };
  }

  @Post()
  @RequirePermission('consent:opt_out')
  @ApiOperation({
    operationId: 'recordContactConsent',
    summary: 'Record a consent change with its source and evidence. Any staff role may record an opt-out; an opt-in (or pending) needs consent:opt_in (admin) and evidence.text',
  })
  @ApiCreatedResponse({ type: RecordedConsentResponseDto })
  @ApiErrors(400, 401, 403, 404, 422)
  async record(@Auth() auth: AuthContext, @Param() params: IdParamDto, @Body() dto: RecordConsentDto): Promise<RecordedConsentResponseDto> {
    if (dto.state !== 'opted_out') {
      if (!roleAllows(auth.role, 'consent:opt_in')) {
        throw new DomainError('forbidden', 'permission_denied', `The role "${auth.role}" may record opt-outs only; an opt-in needs an admin`, [
          { message: 'requires permission consent:opt_in' },
        ]);
      }
      if (typeof dto.evidence.text !== 'string' || dto.evidence.text.trim().length < 3) {
        throw invalidField('evidence.text', 'an opt-in recorded by hand needs evidence.text saying how the person agreed', 'evidence_required');
      }
    }
    const occurredAt = dto.occurredAt ? new Date(dto.occurredAt) : undefined;
    if (occurredAt && occurredAt.getTime() > this.clock.nowMs() + FUTURE_SKEW_MS) throw invalidField('occurredAt', 'occurredAt cannot be in the future');
    // The ledger is append-only: an id of another workspace stored here would stay forever.
    await this.references.assertInWorkspace(auth.workspaceId, [
      { field: 'flowId', kind: 'flow', id: dto.flowId },
      { field: 'agentId', kind: 'agent', id: dto.agentId },
    ]);
    const entries = await this.ledger.record(auth.workspaceId, {
      contactId: params.id,
      types: dto.types,
      state: dto.state,
      source: dto.source ?? 'api',
      evidence: { ...dto.evidence, ...(dto.agentId && { agentId: dto.agentId }) },
      disclosureId: dto.disclosureId,
      flowId: dto.flowId ?? null,
      campaignId: dto.campaignId ?? null,
      occurredAt,
      actor: { apiKeyId: auth.apiKeyId, userId: auth.userId, ...(dto.agentId && { agentId: dto.agentId }) },
    });
    const consent = await this.query.ofContact(auth.workspaceId, params.id, 0);
    return { entries: entries.map(presentEntry), states: consent.states };
  }
}
