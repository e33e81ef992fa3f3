import { Body, Controller, Get, HttpCode, Options, Param, Post, RawBodyRequest, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, AppConfig, Auth, AuthContext, Clock, DomainError, LegacySignatureNotice, ListOf, ListOfItems, Public, RequirePermission, validateObject, webhookSignatureProblem, WEBHOOK_SIGNATURE_HEADER } from '@optline/core';
import { PluginHost } from '@optline/plugin-sdk';
import type { Request, Response } from 'express';
import { WebFormsConfig } from '../web-forms.config';
import { WEB_FORMS_PLUGIN_ID } from '../web-forms.plugin';
import { FormDirectory, ResolvedForm } from './form-directory.service';
import { FormSubmissionService, SubmissionContext } from './form-submission.service';
import { signatureProblem } from './submission-signature';
import { FormLinksResponseDto, FormSubmissionResponseDto } from './form.responses';
import { FormIdParamDto, SubmissionDto } from './submission.dto';

const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * The JSON side of web forms: submissions from a business's own forms (browsers by CORS origin,
 * servers by HMAC signature) and, for admins, the list of forms with their addresses.
 */
@ApiTags('web-forms')
@Controller('v1/forms')
export class FormApiController {
  private readonly legacySignatures = new LegacySignatureNotice('web form submissions');

  constructor(
    private readonly directory: FormDirectory,
    private readonly submissions: FormSubmissionService,
    private readonly host: PluginHost,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  @Get()
  @ApiBearerAuth()
  @RequirePermission('plugins:read')
  @ApiOperation({ operationId: 'listForms', summary: "The workspace's forms with their hosted page URL, embed snippet and JSON endpoint" })
  @ApiOkResponse({ type: ListOf(FormLinksResponseDto) })
  @ApiErrors(401, 403)
  async list(@Auth() auth: AuthContext): Promise<ListOfItems<FormLinksResponseDto>> {
    const installation = await this.host.workspaceInstallation<WebFormsConfig>(auth.workspaceId, WEB_FORMS_PLUGIN_ID);
    return { data: installation ? this.directory.listForms(installation) : [] };
  }

  @Options(':formId/submissions')
  @Public()
  @HttpCode(204)
  @ApiOperation({ operationId: 'preflightFormSubmission', summary: 'CORS preflight: allowed only for the form’s allowed origins' })
  @ApiNoContentResponse({ description: 'The origin may POST; 403 otherwise' })
  @ApiErrors({ status: 403, description: 'origin_not_allowed: the Origin is not one of the form’s allowed origins' }, { status: 404, description: 'No such form, or the form is switched off' })
  async preflight(@Param() params: FormIdParamDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    const resolved = await this.directory.resolve(params.formId);
    this.allowOrigin(resolved, req, res);
    res.setHeader('Access-Control-Allow-Methods', 'POST');
    res.setHeader('Access-Control-Allow-Headers', 'Content-Type, webhook-id, webhook-timestamp, webhook-signature, X-Optline-Signature');
    res.setHeader('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_SECONDS));
  }

  @Post(':formId/submissions')
  @Public()
  @HttpCode(202)
  @ApiOperation({
    operationId: 'submitForm',
    summary: 'Submit a form from your own site or server',
    description:
      'From a browser: the Origin must be one of the form’s allowed origins (CORS). From a server (no Origin): when the installation has a signing secret, ' +
      'sign with Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<raw body>")>`; ' +
      'any Standard Webhooks library signs it; the older `X-Optline-Signature` is still accepted). 422 names the failing field; 429 with Retry-After ' +
      'after too many sign-ups from one IP or phone. A ticked `consent` records a pending opt-in for the form’s message types. ' +
      '`sms` says what happened about texting (text_sent, no_consent, already_opted_in, awaiting_reply, opted_out, texts_off) and `message` is the text to show.',
  })
  @ApiBody({ type: SubmissionDto })
  @ApiHeader({ name: 'webhook-id', required: false, description: 'Server-to-server calls when the installation has a signing secret (Standard Webhooks)' })
  @ApiHeader({ name: 'webhook-timestamp', required: false, description: 'Unix seconds (Standard Webhooks)' })
  @ApiHeader({ name: 'webhook-signature', required: false, description: 'v1,<base64 HMAC-SHA256> (Standard Webhooks)' })
  @ApiAcceptedResponse({ type: FormSubmissionResponseDto })
  @ApiErrors(400, 401, { status: 403, description: 'origin_not_allowed' }, { status: 404, description: 'No such form, or the form is switched off' }, 422, 429)
  async submit(
    @Param() params: FormIdParamDto,
    // Validated below, after the CORS headers are set, so a browser can read a 400 too.
    @Body() body: Record<string, unknown>,
    @Req() req: RawBodyRequest<Request>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<FormSubmissionResponseDto> {
    const resolved = await this.directory.resolve(params.formId);
    const formUrl = `${this.config.publicUrl}/f/${resolved.formId}`;
    if (req.headers.origin) this.allowOrigin(resolved, req, res);
    const dto = validateObject(SubmissionDto, body, { kind: 'invalid' });
    let context: SubmissionContext;
    if (req.headers.origin) {
      context = { via: 'json', ip: req.ip ?? '', userAgent: req.headers['user-agent'] ?? null, pageUrl: dto.pageUrl ?? req.headers.referer ?? null, formUrl };
    } else {
      const secret = resolved.installation.config.signingSecret;
      const signed = secret !== undefined;
      if (signed) {
        const problem = this.signatureProblem(secret, req, resolved.installation.workspaceId);
        if (problem) throw new DomainError('unauthorized', 'invalid_signature', `The submission signature is not valid: ${problem}`);
      }
      // Only a signed server may speak for the visitor; otherwise we record who called us.
      const visitor = signed ? dto.visitor : undefined;
      context = { via: 'server', ip: visitor?.ip ?? req.ip ?? '', userAgent: visitor?.userAgent ?? null, pageUrl: dto.pageUrl ?? null, formUrl };
    }
    const result = await this.submissions.submit(resolved, dto, context);
    return result.outcome === 'accepted'
      ? { status: 'accepted', eventId: result.eventId, duplicate: result.duplicate, consentRequested: result.consentRequested, sms: result.sms, message: result.message }
      : // A trapped bot is answered like a person whose text goes out.
        { status: 'accepted', eventId: null, duplicate: false, consentRequested: dto.consent === true, sms: 'text_sent', message: resolved.form.successText };
  }

  /** Standard Webhooks; a server still on the old X-Optline-Signature is accepted and named in the log. */
  private signatureProblem(secret: string, req: RawBodyRequest<Request>, workspaceId: string): string | null {
    const rawBody = req.rawBody ?? Buffer.alloc(0);
    const legacy = req.headers['x-optline-signature'];
    if (req.headers[WEBHOOK_SIGNATURE_HEADER] === undefined && typeof legacy === 'string') {
      const problem = signatureProblem(secret, legacy, rawBody, this.clock.nowMs());
      if (!problem) this.legacySignatures.note(workspaceId);
      return problem;
    }
    return webhookSignatureProblem(secret, req.headers, rawBody, this.clock.nowMs());
  }

  private allowOrigin(resolved: ResolvedForm, req: Request, res: Response): void {
    const origin = req.headers.origin;
    res.setHeader('Vary', 'Origin');
    if (!origin || !resolved.form.allowedOrigins.includes(origin)) {
      throw new DomainError('forbidden', 'origin_not_allowed', `The origin ${origin ?? '(none)' } may not submit this form`, [{ field: 'Origin', message: 'not one of the form’s allowed origins' }]);
    }
    res.setHeader('Access-Control-Allow-Origin', origin);
  }
}
