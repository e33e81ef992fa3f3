import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ListOf, ListOfItems, RequirePermission } from '@optline/core';
import { FlowTemplate, FlowTemplateCatalog } from '../templates/flow-template.catalog';
import { TemplateKeyParamDto } from './flow-api.dto';
import { FlowTemplateResponseDto } from './flow.responses';

function present(template: FlowTemplate, withDefinition: boolean): FlowTemplateResponseDto {
  return {
    key: template.key,
    title: template.title,
    category: template.category,
    summary: template.summary,
    messageType: template.definition.messageType,
    triggerEvents: template.definition.trigger.events,
    ...(withDefinition && { definition: template.definition }),
  };
}

@ApiTags('flows')
@ApiBearerAuth()
@Controller('v1/flow-templates')
export class FlowTemplateController {
  constructor(private readonly catalog: FlowTemplateCatalog) {}

  @Get()
  @RequirePermission('flows:read')
  @ApiOperation({ operationId: 'listFlowTemplates', summary: 'The built-in flow templates (create one with POST /v1/flows/from-template)' })
  @ApiOkResponse({ type: ListOf(FlowTemplateResponseDto) })
  @ApiErrors(401, 403)
  list(): ListOfItems<FlowTemplateResponseDto> {
    return { data: this.catalog.list().map((t) => present(t, true)) };
  }

  @Get(':key')
  @RequirePermission('flows:read')
  @ApiOperation({ operationId: 'getFlowTemplate', summary: 'One built-in template with its flow document' })
  @ApiOkResponse({ type: FlowTemplateResponseDto })
  @ApiErrors(400, 401, 403, 404)
  get(@Param() params: TemplateKeyParamDto): FlowTemplateResponseDto {
    return present(this.catalog.get(params.key), true);
  }
}
