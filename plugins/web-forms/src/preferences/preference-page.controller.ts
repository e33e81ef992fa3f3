import { Body, Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiProduces, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ApiErrors, DomainError, Public } from '@optline/core';
import { CONSENT_MESSAGE_TYPES } from '@optline/plugin-sdk';
import type { ConsentMessageType } from '@optline/plugin-sdk';
import { IsString, MaxLength } from 'class-validator';
import type { Request, Response } from 'express';
import { ApiHtmlPage } from '../forms/form.responses';
import { newNonce, sendPage } from '../views/html';
import { renderMessagePage } from '../views/form-page.view';
import { renderPreferencePage } from '../views/preference-page.view';
import { PreferenceService } from './preference.service';

export class PreferenceTokenParamDto {
  @ApiProperty({ example: 'P8QaUlpTSguaLC96SxueEJ56LBuMVUyeoORS4PbwwqozjbTI9wKXkAeLk2Wt8Pk.Lr7nA0sYcQ4Xvk1QzGm3ZA' })
  @IsString()
  @MaxLength(120)
  token: string;
}

const listOf = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' ? [value] : []);

/** `/p/:token`: the page a person reaches from a link in a text to change or stop what they receive. */
@ApiTags('web-forms')
@Controller('p')
export class PreferencePageController {
  constructor(private readonly preferences: PreferenceService) {}

  @Get(':token')
  @Public()
  @ApiOperation({ operationId: 'getPreferencePage', summary: 'The preference page (HTML) behind a signed link: which message types the person receives' })
  @ApiProduces('text/html')
  @ApiHtmlPage(200, 'The page')
  @ApiHtmlPage(404, 'A page saying the link is not valid')
  @ApiHtmlPage(410, 'A page saying the person’s data was erased')
  @ApiErrors(400)
  async page(@Param() params: PreferenceTokenParamDto, @Res() res: Response): Promise<void> {
    const nonce = newNonce();
    try {
      const view = await this.preferences.view(params.token);
      sendPage(res, 200, renderPreferencePage({ view, token: params.token, nonce }), nonce);
    } catch (error) {
      this.sendError(error, res, nonce);
    }
  }

  @Post(':token')
  @Public()
  @HttpCode(200)
  @ApiOperation({ operationId: 'savePreferencePage', summary: 'Save the preference page: each change is a consent ledger entry with source web_form; "stop all" opts out of everything' })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({ schema: { type: 'object', example: { action: 'save', types: ['transactional'] } } })
  @ApiProduces('text/html')
  @ApiHtmlPage(200, 'The page again with "Your choices are saved."')
  @ApiHtmlPage(404, 'A page saying the link is not valid')
  @ApiHtmlPage(410, 'A page saying the person’s data was erased')
  @ApiErrors(400)
  async save(@Param() params: PreferenceTokenParamDto, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    const nonce = newNonce();
    try {
      const wanted = listOf(body.types).filter((t): t is ConsentMessageType => (CONSENT_MESSAGE_TYPES as string[]).includes(t));
      const change = body.action === 'stop_all' ? ({ action: 'stop_all' } as const) : ({ action: 'save', wanted } as const);
      const result = await this.preferences.change(params.token, change, { ip: req.ip ?? '', userAgent: req.get('user-agent') ?? null });
      const view = await this.preferences.view(params.token);
      const notice = result.optedOut === 'all' ? 'You will get no more texts from us.' : 'Your choices are saved.';
      sendPage(res, 200, renderPreferencePage({ view, token: params.token, nonce, notice }), nonce);
    } catch (error) {
      this.sendError(error, res, nonce);
    }
  }

  private sendError(error: unknown, res: Response, nonce: string): void {
    if (!(error instanceof DomainError) || (error.kind !== 'not_found' && error.kind !== 'gone')) throw error;
    const status = error.kind === 'gone' ? 410 : 404;
    sendPage(res, status, renderMessagePage({ title: 'Text preferences', heading: 'Text preferences', message: error.message, nonce, role: 'alert' }), nonce);
  }
}
