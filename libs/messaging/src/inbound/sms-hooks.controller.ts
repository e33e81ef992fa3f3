import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiErrors, AppConfig, Clock, DomainError, LegacySignatureNotice, Public, validateObject } from '@optline/core';
import type { Request, Response } from 'express';
import { TWILIO_STATUS } from '../message/message-status';
import { checkHttpSignature } from '../providers/http-signature';
import { ResolvedProviderConfig, SmsProviderConfigService } from '../providers/sms-provider-config.service';
import { isValidTwilioSignature, twimlResponse } from '../providers/twilio-signature';
import { InboundSmsService } from './inbound-sms.service';
import { HttpInboundSmsDto, HttpStatusDto, TwilioInboundFormDto, TwilioStatusFormDto, WorkspaceParamDto } from './sms-hooks.dto';
import { HttpInboundResponseDto } from './sms-hooks.responses';
import { StatusCallbackService } from './status-callback.service';

type RawRequest = Request & { rawBody?: Buffer };

/**
 * Provider webhooks: inbound texts and delivery reports, for Twilio (form-encoded, X-Twilio-Signature)
 * and the generic `http` provider (JSON, X-Optline-Signature). Public routes that verify their own
 * signatures: 404 when the workspace does not use that provider, 401 on a bad signature.
 */
@ApiTags('sms-hooks')
@Controller('hooks/sms')
export class SmsHooksController {
  private readonly legacySignatures = new LegacySignatureNotice('http provider callbacks');

  constructor(
    private readonly configs: SmsProviderConfigService,
    private readonly inbound: InboundSmsService,
    private readonly statuses: StatusCallbackService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  @Post('twilio/:workspaceId')
  @Public()
  @HttpCode(200)
  @ApiOperation({ operationId: 'receiveTwilioSms', summary: 'Twilio inbound SMS webhook (paste this URL into the number or Messaging Service). Answers TwiML.' })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiHeader({ name: 'X-Twilio-Signature', required: true })
  @ApiProduces('text/xml')
  @ApiOkResponse({
    description: 'TwiML: empty, or the keyword replies when the provider answers them inline',
    content: { 'text/xml': { schema: { type: 'string', example: '<?xml version="1.0" encoding="UTF-8"?><Response/>' } } },
  })
  @ApiErrors(400, 401, 404, 413)
  async twilioInbound(@Param() params: WorkspaceParamDto, @Req() req: RawRequest, @Res() res: Response): Promise<void> {
    const provider = await this.verifyTwilio(params.workspaceId, req);
    // Validated once the signature holds (as the http provider's body is): lengths and NULs name Twilio's field.
    const form = validateObject(TwilioInboundFormDto, req.body, { allowUnknownFields: true });
    const result = await this.inbound.receive(
      params.workspaceId,
      {
        provider: 'twilio',
        providerMessageId: form.MessageSid,
        from: form.From,
        to: form.To ?? null,
        body: form.Body ?? '',
        optOutType: form.OptOutType,
      },
      { inlineReplies: provider.settings.replyInTwiml === true, answerFirst: true },
    );
    res.status(200).type('text/xml').send(twimlResponse(result.inlineReplies));
  }

  @Post('twilio/:workspaceId/status')
  @Public()
  @HttpCode(204)
  @ApiOperation({ operationId: 'receiveTwilioStatus', summary: 'Twilio status callback: moves a message forward to sent, delivered, undelivered or failed' })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiHeader({ name: 'X-Twilio-Signature', required: true })
  @ApiNoContentResponse()
  @ApiErrors(400, 401, 404, 413)
  async twilioStatus(@Param() params: WorkspaceParamDto, @Req() req: RawRequest): Promise<void> {
    await this.verifyTwilio(params.workspaceId, req);
    const form = validateObject(TwilioStatusFormDto, req.body, { allowUnknownFields: true });
    const providerMessageId = form.MessageSid;
    const status = TWILIO_STATUS[form.MessageStatus.toLowerCase()];
    if (!status) return; // a status we do not track (e.g. a future one): acknowledged, ignored
    const messageId = typeof req.query.messageId === 'string' ? req.query.messageId : undefined;
    await this.statuses.report(params.workspaceId, {
      provider: 'twilio',
      messageId,
      providerMessageId,
      status,
      errorCode: form.ErrorCode ? form.ErrorCode : null,
    });
  }

  @Post('http/:workspaceId')
  @Public()
  @HttpCode(200)
  @ApiOperation({ operationId: 'receiveHttpSms', summary: 'Generic inbound SMS (http provider): signed JSON, answers the stored message and its replies' })
  @ApiHeader({ name: 'webhook-id', required: true, description: 'Standard Webhooks: a unique id of this request (docs/webhooks.md)' })
  @ApiHeader({ name: 'webhook-timestamp', required: true, description: 'Unix seconds' })
  @ApiHeader({ name: 'webhook-signature', required: true, description: 'v1,<base64 HMAC-SHA256(signingSecret, "<webhook-id>.<webhook-timestamp>.<raw body>")> (the older X-Optline-Signature + X-Optline-Timestamp pair is still accepted)' })
  @ApiBody({ type: HttpInboundSmsDto })
  @ApiOkResponse({ type: HttpInboundResponseDto })
  @ApiErrors(400, 401, 404, 413, 422)
  async httpInbound(
    @Param() params: WorkspaceParamDto,
    @Req() req: RawRequest,
    @Body() body: unknown,
  ): Promise<HttpInboundResponseDto> {
    await this.verifyHttp(params.workspaceId, req);
    // Validated only once the signature holds: an unsigned request learns nothing about the format.
    const dto = validateObject(HttpInboundSmsDto, body);
    const result = await this.inbound.receive(params.workspaceId, { provider: 'http', providerMessageId: dto.id, from: dto.from, to: dto.to ?? null, body: dto.body }, { inlineReplies: false, answerFirst: true });
    return {
      messageId: result.message.id,
      duplicate: result.duplicate,
      keyword: result.message.origin?.keyword ?? null,
      replies: result.replies.map((r) => ({ id: r.id, status: r.status })),
    };
  }

  @Post('http/:workspaceId/status')
  @Public()
  @HttpCode(204)
  @ApiOperation({ operationId: 'receiveHttpStatus', summary: 'Generic delivery report (http provider), signed like the inbound endpoint' })
  @ApiHeader({ name: 'webhook-id', required: true })
  @ApiHeader({ name: 'webhook-timestamp', required: true })
  @ApiHeader({ name: 'webhook-signature', required: true })
  @ApiBody({ type: HttpStatusDto })
  @ApiNoContentResponse()
  @ApiErrors(400, 401, 404, 413, 422)
  async httpStatus(
    @Param() params: WorkspaceParamDto,
    @Req() req: RawRequest,
    @Body() body: unknown,
  ): Promise<void> {
    await this.verifyHttp(params.workspaceId, req);
    const dto = validateObject(HttpStatusDto, body);
    const messageId = typeof req.query.messageId === 'string' ? req.query.messageId : undefined;
    await this.statuses.report(params.workspaceId, { provider: 'http', messageId, providerMessageId: dto.id, status: dto.status, errorCode: dto.errorCode ?? null });
  }

  private async providerOf(workspaceId: string, kind: 'twilio' | 'http'): Promise<ResolvedProviderConfig> {
    const provider = await this.configs.resolve(workspaceId);
    if (provider.kind !== kind) throw new DomainError('not_found', 'sms_provider_not_configured', `This workspace does not receive texts through ${kind}`);
    return provider;
  }

  private async verifyTwilio(workspaceId: string, req: RawRequest): Promise<ResolvedProviderConfig> {
    const provider = await this.providerOf(workspaceId, 'twilio');
    const url = `${this.config.publicUrl}${req.originalUrl}`;
    const signature = req.headers['x-twilio-signature'];
    const params = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, unknown>;
    if (!isValidTwilioSignature(provider.secrets.authToken ?? '', typeof signature === 'string' ? signature : undefined, url, params)) {
      throw new DomainError('unauthorized', 'invalid_signature', 'X-Twilio-Signature does not match this request');
    }
    return provider;
  }

  private async verifyHttp(workspaceId: string, req: RawRequest): Promise<void> {
    const provider = await this.providerOf(workspaceId, 'http');
    const { problem, legacy } = checkHttpSignature(provider.secrets.signingSecret ?? '', req.headers, req.rawBody ?? Buffer.alloc(0), this.clock.nowMs());
    if (problem) throw new DomainError('unauthorized', 'invalid_signature', `The request signature is not valid: ${problem}`);
    if (legacy) this.legacySignatures.note(workspaceId);
  }
}
