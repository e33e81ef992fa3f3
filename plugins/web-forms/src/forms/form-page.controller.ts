import { Body, Controller, Get, Header, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiErrors, AppConfig, DomainError, Public, ValidationFailedError, validateObject } from '@optline/core';
import type { Request, Response } from 'express';
import { randomBytes } from 'node:crypto';
import { newNonce, sendPage } from '../views/html';
import { renderEmbedScript, renderFormPage, renderMessagePage } from '../views/form-page.view';
import { FormDirectory, ResolvedForm } from './form-directory.service';
import { FormSubmissionService } from './form-submission.service';
import { ApiHtmlPage } from './form.responses';
import { FormIdParamDto, SubmissionDto } from './submission.dto';

const TICKED = new Set(['yes', 'on', 'true', '1']);

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** A page URL we are willing to record as evidence: http(s), reasonably short. */
function pageUrlOf(value: unknown): string | null {
  const candidate = text(value);
  if (!candidate || candidate.length > 2000) return null;
  try {
    const url = new URL(candidate);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.toString() : null;
  } catch {
    return null;
  }
}

/**
 * The hosted form (`/f/:formId`): a plain HTML page that works without JavaScript, and the embed
 * script. Query strings are read by hand rather than by a DTO on purpose: links to a public page
 * carry marketing parameters (utm_…) that must not turn it into a 400.
 */
@ApiTags('web-forms')
@Controller('f')
export class FormPageController {
  constructor(
    private readonly directory: FormDirectory,
    private readonly submissions: FormSubmissionService,
    private readonly config: AppConfig,
  ) {}

  @Get(':formId')
  @Public()
  @ApiOperation({
    operationId: 'getFormPage',
    summary: 'The hosted opt-in form (HTML)',
    description: 'Accessible, mobile-friendly, no JavaScript needed. The consent checkbox is never pre-ticked and sits next to the full disclosure. `?embed=1&ref=<page URL>` is what the embed snippet loads.',
  })
  @ApiProduces('text/html')
  @ApiHtmlPage(200, 'The form page')
  @ApiHtmlPage(404, 'A "form not found" page when the form does not exist or is switched off')
  @ApiErrors(400)
  async page(@Param() params: FormIdParamDto, @Query() query: Record<string, unknown>, @Res() res: Response): Promise<void> {
    const nonce = newNonce();
    const resolved = await this.resolveOr404(params.formId, res, nonce);
    if (!resolved) return;
    const embed = text(query.embed) === '1';
    const html = renderFormPage({ resolved, nonce, embed, pageUrl: pageUrlOf(query.ref), submissionId: randomBytes(12).toString('base64url') });
    sendPage(res, 200, html, nonce, resolved.form.allowedOrigins);
  }

  @Get(':formId/embed.js')
  @Public()
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=300')
  @Header('Cross-Origin-Resource-Policy', 'cross-origin')
  @ApiOperation({ operationId: 'getFormEmbedScript', summary: 'The embed snippet’s script: `<script src="…/f/:formId/embed.js" async></script>` inserts the form in an iframe' })
  @ApiProduces('text/javascript')
  @ApiOkResponse({ description: 'JavaScript', content: { 'text/javascript': { schema: { type: 'string' } } } })
  @ApiErrors(400, { status: 404, description: 'No such form, or the form is switched off' })
  async embed(@Param() params: FormIdParamDto): Promise<string> {
    const resolved = await this.directory.resolve(params.formId);
    return renderEmbedScript(`${this.config.publicUrl}/f/${resolved.formId}`, resolved.form.title);
  }

  @Post(':formId')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    operationId: 'submitFormPage',
    summary: 'Submit the hosted form (form post)',
    description: 'Answers the success page, or the form again with each field’s message (422), or a 429 page when there were too many sign-ups.',
  })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({ schema: { type: 'object', example: { phone: '(415) 555-0123', firstName: 'Ada', consent: 'yes', submissionId: 'Zk3…', disclosureId: '…', website: '' } } })
  @ApiProduces('text/html')
  @ApiHtmlPage(200, 'The success page, saying what happens about texting')
  @ApiHtmlPage(404, 'A "form not found" page')
  @ApiHtmlPage(422, 'The form again, with each failing field’s message')
  @ApiHtmlPage(429, 'Too many sign-ups from this address or phone; Retry-After says when to try again')
  @ApiErrors(400)
  async submit(@Param() params: FormIdParamDto, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    const nonce = newNonce();
    const resolved = await this.resolveOr404(params.formId, res, nonce);
    if (!resolved) return;
    const form = resolved.form;
    const embed = text(body.embed) === '1';
    const values = {
      phone: text(body.phone) ?? '',
      consent: TICKED.has((text(body.consent) ?? '').toLowerCase()),
      fields: Object.fromEntries(form.fields.map((f) => [f.name, text(body[f.name]) ?? ''])),
    };
    const pageUrl = pageUrlOf(body.pageUrl);
    let message = form.successText;
    const again = (status: number, errors: ValidationFailedError['details']) =>
      sendPage(
        res,
        status,
        renderFormPage({ resolved, nonce, embed, values, errors, pageUrl, submissionId: text(body.submissionId) ?? randomBytes(12).toString('base64url') }),
        nonce,
        form.allowedOrigins,
      );
    try {
      const dto = validateObject(SubmissionDto, {
        phone: values.phone,
        consent: values.consent,
        fields: values.fields,
        ...(pageUrl && { pageUrl }),
        ...(text(body.submissionId) && { submissionId: text(body.submissionId) }),
        ...(text(body.disclosureId) && { disclosureId: text(body.disclosureId) }),
        ...(text(body.website) && { website: text(body.website) }),
      });
      const result = await this.submissions.submit(resolved, dto, {
        via: 'hosted_page',
        ip: req.ip ?? '',
        userAgent: text(req.headers['user-agent']) ?? null,
        pageUrl: pageUrl ?? `${this.config.publicUrl}/f/${resolved.formId}`,
        formUrl: `${this.config.publicUrl}/f/${resolved.formId}`,
      });
      // The page says what actually happened (a text sent, no box ticked, already subscribed…).
      message = result.outcome === 'accepted' ? result.message : form.successText;
    } catch (error) {
      if (error instanceof ValidationFailedError) return again(422, error.details);
      if (error instanceof DomainError && error.kind === 'rate_limited') {
        if (error.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(error.retryAfterSeconds));
        return sendPage(res, 429, renderMessagePage({ title: form.title, heading: form.title, message: error.message, nonce, embed, role: 'alert' }), nonce, form.allowedOrigins);
      }
      throw error;
    }
    sendPage(res, 200, renderMessagePage({ title: form.title, heading: form.title, message, nonce, embed }), nonce, form.allowedOrigins);
  }

  private async resolveOr404(formId: string, res: Response, nonce: string): Promise<ResolvedForm | null> {
    try {
      return await this.directory.resolve(formId);
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind !== 'not_found') throw error;
      sendPage(res, 404, renderMessagePage({ title: 'Form not found', heading: 'Form not found', message: error.message, nonce, role: 'alert' }), nonce);
      return null;
    }
  }
}
