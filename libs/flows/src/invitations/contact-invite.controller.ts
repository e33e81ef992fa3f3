import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, Auth, AuthContext, IdParamDto, RequirePermission } from '@optline/core';
import { OptInInvitationDto, InviteContactDto } from './invitation.dto';
import { OptInInvitationService } from './opt-in-invitation.service';

@ApiTags('flows')
@ApiBearerAuth()
@Controller('v1/contacts')
export class ContactInviteController {
  constructor(private readonly invitations: OptInInvitationService) {}

  @Post(':id/invite')
  @RequirePermission('flows:write')
  @ApiOperation({
    operationId: 'inviteContact',
    summary: 'Invite one contact to an opt-in flow (one opt-in request, sent because a person clicked Invite)',
    description:
      'Records a pending opt-in with the invitation as evidence (who, when, flow, group) and starts one run of the flow for this contact. ' +
      'Opt-in flows cannot be enrolled a group at a time (POST /v1/flows/:id/enroll answers 422 invite_per_contact).',
  })
  @ApiCreatedResponse({ type: OptInInvitationDto })
  @ApiErrors(
    { status: 400, description: 'validation_failed: neither or both of flowId and flowKey, or a malformed id' },
    401,
    403,
    { status: 404, description: 'not_found: unknown contact, flow or group; flow_not_found: no active flow from that template' },
    { status: 409, description: 'flow_not_active, already_opted_in, or already_invited (one opt-in request per person)' },
    { status: 422, description: 'not_an_opt_in_flow, or contact_opted_out (after STOP only START resubscribes)' },
  )
  async invite(@Auth() auth: AuthContext, @Param() params: IdParamDto, @Body() dto: InviteContactDto): Promise<OptInInvitationDto> {
    return this.invitations.invite(auth, params.id, dto);
  }
}
