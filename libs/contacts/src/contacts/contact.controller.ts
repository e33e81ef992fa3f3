import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiErrors, Auth, AuthContext, IdParamDto, PageOf, PageOfItems, PreferenceLinks, RequirePermission, WorkspaceService } from '@optline/core';
import type { Response } from 'express';
import { sendStream } from '../streaming/send-stream';
import { ContactDetailResponseDto } from './contact-detail.responses';
import { ContactExportService } from './contact-export.service';
import { ListContactsQueryDto, PatchContactDto, UpsertContactDto } from './contact.dto';
import { presentContact } from './contact.presenter';
import { ContactResponseDto, UpsertedContactResponseDto } from './contact.responses';
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
    private readonly preferences: PreferenceLinks,
  ) {}

  // Declared before ':id' so "export" is not read as an id.
  @Get('export')
  @RequirePermission('contacts:import')
  @ApiOperation({ operationId: 'exportContacts', summary: 'Download every live contact as CSV (streamed)' })
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description: 'CSV, header row first',
    content: { 'text/csv': { schema: { type: 'string', example: 'id,phone,email,first_name,last_name,time_zone,attributes,external_ids,created_at,updated_at\n…' } } },
  })
  @ApiErrors(401, 403)
  export(@Auth() auth: AuthContext, @Res() res: Response): void {
    sendStream(res, this.exporter.csv(auth.workspaceId), 'text/csv; charset=utf-8', 'contacts.csv');
  }

  @Post()
  @RequirePermission('contacts:write')
  @ApiOperation({ operationId: 'upsertContact', summary: 'Create a contact, or merge into the one with this phone (201 created, 200 updated)' })
  @ApiCreatedResponse({ type: UpsertedContactResponseDto, description: 'A new contact' })
  @ApiOkResponse({ type: UpsertedContactResponseDto, description: 'Merged into the contact with this phone' })
  @ApiErrors(400, 401, 403, 409, 422)
  async upsert(@Auth() auth: AuthContext, @Body() dto: UpsertContactDto, @Res({ passthrough: true }) res: Response): Promise<UpsertedContactResponseDto> {
    const { contact, created } = await this.contacts.upsertByPhone(auth.workspaceId, dto);
    res.status(created ? 201 : 200);
    return { ...presentContact(contact), created };
  }

  @Get()
  @RequirePermission('contacts:read')
  @ApiOperation({ operationId: 'listContacts', summary: 'List contacts (cursor pages) by group, consent state, attribute or text' })
  @ApiOkResponse({ type: PageOf(ContactResponseDto) })
  @ApiErrors(400, 401, 403)
  async list(@Auth() auth: AuthContext, @Query() query: ListContactsQueryDto): Promise<PageOfItems<ContactResponseDto>> {
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
  @ApiOperation({ operationId: 'getContact', summary: 'One contact, with the time zone used for it, what decided it, and the link to their preference page' })
  @ApiOkResponse({ type: ContactDetailResponseDto })
  @ApiErrors(400, 401, 403, 404)
  async get(@Auth() auth: AuthContext, @Param() params: IdParamDto): Promise<ContactDetailResponseDto> {
    const contact = await this.contacts.get(auth.workspaceId, params.id);
    const workspace = await this.workspaces.get(auth.workspaceId);
    const preferenceUrl = contact.erasedAt ? null : this.preferences.urlFor(auth.workspaceId, contact.id);
    return { ...presentContact(contact, await resolveTimeZone(contact, workspace.timeZone)), preferenceUrl };
  }

  @Patch(':id')
  @RequirePermission('contacts:write')
  @ApiOperation({ operationId: 'updateContact', summary: 'Change a contact; null clears a field, an attribute set to null is removed' })
  @ApiOkResponse({ type: ContactResponseDto })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  async patch(@Auth() auth: AuthContext, @Param() params: IdParamDto, @Body() dto: PatchContactDto): Promise<ContactResponseDto> {
    return presentContact(await this.contacts.update(auth.workspaceId, params.id, dto));
  }

  @Delete(':id')
  @HttpCode(200)
  @RequirePermission('contacts:write')
  @ApiOperation({
    operationId: 'eraseContact',
    summary: 'Erase a contact: personal data removed; consent history kept with the phone replaced by its keyed hash; the number stays suppressed',
  })
  @ApiOkResponse({ type: ContactResponseDto })
  @ApiErrors(400, 401, 403, 404)
  async erase(@Auth() auth: AuthContext, @Param() params: IdParamDto): Promise<ContactResponseDto> {
    await this.contacts.erase(auth.workspaceId, params.id, auth.actor);
    return presentContact(await this.contacts.get(auth.workspaceId, params.id));
  }
}
