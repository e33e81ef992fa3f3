import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Auth, AuthContext, IdParamDto, RequirePermission, WorkspaceService } from '@optline/core';
import type { Response } from 'express';
import { sendStream } from '../streaming/send-stream';
import { ContactExportService } from './contact-export.service';
import { ListContactsQueryDto, PatchContactDto, UpsertContactDto } from './contact.dto';
import { CONTACT_EXAMPLE, presentContact } from './contact.presenter';
import { ContactService } from './contact.service';
import { resolveTimeZone } from './time-zone';

@ApiTags('contacts')
@ApiBearerAuth()
@Controller('v1/contacts')
export class ContactController {
  constructor(
    private readonly contacts: ContactService,
    private readonly exporter: ContactExportService,
    private readonly workspaces: WorkspaceService,
  ) {}

  // Declared before ':id' so "export" is not read as an id.
  @Get('export')
  @RequirePermission('contacts:import')
  @ApiOperation({ summary: 'Download every live contact as CSV (streamed)' })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'CSV', schema: { type: 'string', example: 'id,phone,email,first_name,last_name,time_zone,attributes,external_ids,created_at,updated_at\n…' } })
  export(@Auth() auth: AuthContext, @Res() res: Response): void {
    sendStream(res, this.exporter.csv(auth.workspaceId), 'text/csv; charset=utf-8', 'contacts.csv');
  }

  @Post()
  @RequirePermission('contacts:write')
  @ApiOperation({ summary: 'Create a contact, or merge into the one with this phone (201 created, 200 updated)' })
  @ApiCreatedResponse({ schema: { example: { ...CONTACT_EXAMPLE, created: true } } })
  async upsert(@Auth() auth: AuthContext, @Body() dto: UpsertContactDto, @Res({ passthrough: true }) res: Response) {
    const { contact, created } = await this.contacts.upsertByPhone(auth.workspaceId, dto);
    res.status(created ? 201 : 200);
    return { ...presentContact(contact), created };
  }

  @Get()
  @RequirePermission('contacts:read')
  @ApiOperation({ summary: 'List contacts (cursor pages) by group, consent state, attribute or text' })
  @ApiOkResponse({ schema: { example: { data: [CONTACT_EXAMPLE], nextCursor: '3f0c1a52-5a53-4a0b-9d2c-2f7a4b1b9e10' } } })
  async list(@Auth() auth: AuthContext, @Query() query: ListContactsQueryDto) {
    const limit = query.limit ?? 50;
    const [key, ...rest] = query.attribute?.split(':') ?? [];
    const contacts = await this.contacts.list(auth.workspaceId, {
      limit,
      after: query.cursor,
      groupId: query.group,
      consentType: query.consentState ? (query.consentType ?? 'marketing') : undefined,
      consentState: query.consentState,
      attribute: key ? { key, value: rest.length > 0 ? rest.join(':') : undefined } : undefined,
      search: query.q,
    });
    return { data: contacts.map((c) => presentContact(c)), nextCursor: contacts.length === limit ? contacts[contacts.length - 1].id : null };
  }

  @Get(':id')
  @RequirePermission('contacts:read')
  @ApiOperation({ summary: 'One contact, with the time zone used for it and what decided it' })
  @ApiOkResponse({ schema: { example: CONTACT_EXAMPLE } })
  async get(@Auth() auth: AuthContext, @Param() params: IdParamDto) {
    const contact = await this.contacts.get(auth.workspaceId, params.id);
    const workspace = await this.workspaces.get(auth.workspaceId);
    return presentContact(contact, await resolveTimeZone(contact, workspace.timeZone));
  }

  @Patch(':id')
  @RequirePermission('contacts:write')
  @ApiOperation({ summary: 'Change a contact; null clears a field, an attribute set to null is removed' })
  @ApiOkResponse({ schema: { example: CONTACT_EXAMPLE } })
  async patch(@Auth() auth: AuthContext, @Param() params: IdParamDto, @Body() dto: PatchContactDto) {
    return presentContact(await this.contacts.update(auth.workspaceId, params.id, dto));
  }

  @Delete(':id')
  @HttpCode(200)
  @RequirePermission('contacts:write')
  @ApiOperation({
    summary: 'Erase a contact: personal data removed; consent history kept with the phone replaced by its keyed hash; the number stays suppressed',
  })
  @ApiOkResponse({ schema: { example: { ...CONTACT_EXAMPLE, phone: null, email: null, firstName: null, lastName: null, attributes: {}, externalIds: {}, erasedAt: '2026-11-22T09:00:00.000Z' } } })
  async erase(@Auth() auth: AuthContext, @Param() params: IdParamDto) {
    await this.contacts.erase(auth.workspaceId, params.id, auth.actor);
    return presentContact(await this.contacts.get(auth.workspaceId, params.id));
  }
}
