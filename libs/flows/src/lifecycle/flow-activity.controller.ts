import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ApiErrors, Auth, AuthContext, RequirePermission } from '@optline/core';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { FlowActivityService } from './flow-activity.service';

export class FlowActivityQueryDto {
  @ApiPropertyOptional({ example: 7, minimum: 1, maximum: 90, description: 'The period, in days up to now (default 7)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'days must be a whole number of days' })
  @Min(1, { message: 'days must be between 1 and 90' })
  @Max(90, { message: 'days must be between 1 and 90' })
  days?: number;
}

export class FlowActivityDto {
  @ApiProperty({ format: 'uuid' })
  flowId!: string;

  @ApiProperty({ example: 120, description: 'Texts of its runs that went out (reached the carrier hand-off)' })
  sent!: number;

  @ApiProperty({ example: 14, description: 'Clicks on the short links in those texts' })
  clicks!: number;

  @ApiProperty({ example: 1, description: 'People who opted out after one of those texts, in the period' })
  optOuts!: number;
}

export class FlowActivityListDto {
  @ApiProperty({ type: String, format: 'date-time' })
  since!: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  until!: Date;

  @ApiProperty({ type: FlowActivityDto, isArray: true, description: 'Flows with texts in the period (others had none)' })
  data!: FlowActivityDto[];
}

@ApiTags('flows')
@ApiBearerAuth()
@Controller('v1/flow-activity')
export class FlowActivityController {
  constructor(private readonly activity: FlowActivityService) {}

  @Get()
  @RequirePermission('flows:read')
  @ApiOperation({ operationId: 'listFlowActivity', summary: "Each flow's texts sent, link clicks and opt-outs over the last days, from the message log" })
  @ApiOkResponse({ type: FlowActivityListDto })
  @ApiErrors(400, 401, 403)
  list(@Auth() auth: AuthContext, @Query() query: FlowActivityQueryDto): Promise<FlowActivityListDto> {
    return this.activity.lastDays(auth.workspaceId, query.days ?? 7);
  }
}
