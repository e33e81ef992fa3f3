import { Body, Controller, Get, HttpCode, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthContext, RequirePermission } from '../../auth/auth-context';
import { ApiErrors } from '../../openapi/api-errors.decorator';
import { PutBrandProfileDto } from './brand-profile.dto';
import { BrandProfileResponseDto } from './brand-profile.responses';
import { BrandProfileService, BrandProfileView } from './brand-profile.service';

function present(profile: BrandProfileView): BrandProfileResponseDto {
  return { ...profile, urlReachability: 'not_checked' };
}

@ApiTags('registration')
@ApiBearerAuth()
@Controller('v1/brand-profile')
export class BrandProfileController {
  constructor(private readonly profiles: BrandProfileService) {}

  @Get()
  @RequirePermission('settings:read')
  @ApiOperation({ operationId: 'getBrandProfile', summary: 'The business facts sender registration (10DLC brand vetting) asks for, and which are missing' })
  @ApiOkResponse({ type: BrandProfileResponseDto })
  @ApiErrors(401, 403)
  async get(@Auth() auth: AuthContext): Promise<BrandProfileResponseDto> {
    return present(await this.profiles.get(auth.workspaceId));
  }

  @Put()
  @HttpCode(200)
  @RequirePermission('settings:write')
  @ApiOperation({ operationId: 'putBrandProfile', summary: 'Replace the brand profile (fields left out are cleared); the tax id is checked against the country' })
  @ApiOkResponse({ type: BrandProfileResponseDto })
  @ApiErrors(400, 401, 403, { status: 422, description: 'invalid_tax_id: the tax id does not have the shape of the country (details name taxId)' })
  async put(@Auth() auth: AuthContext, @Body() dto: PutBrandProfileDto): Promise<BrandProfileResponseDto> {
    return present(await this.profiles.put(auth.workspaceId, dto));
  }
}
