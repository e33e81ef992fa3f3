import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '@optline/core';
import { FlowTemplate, FlowTemplateCatalog } from '../templates/flow-template.catalog';
import { TemplateKeyParamDto } from './flow-api.dto';
import { FLOW_EXAMPLE } from './flow.presenter';

function present(template: FlowTemplate, withDefinition: boolean) {
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

const TEMPLATE_EXAMPLE = {
  key: 'abandoned-cart',
  title: 'Abandoned cart',
  category: 'ecommerce',
  summary: 'Two nudges after a checkout is left behind (1 h, then 24 h later); stops as soon as the order for that checkout arrives.',
  messageType: 'marketing',
  triggerEvents: ['checkout.updated'],
};

@ApiTags('flows')
@ApiBearerAuth()
@Controller('v1/flow-templates')
export class FlowTemplateController {
  constructor(private readonly catalog: FlowTemplateCatalog) {}

  @Get()
  @RequirePermission('flows:read')
  @ApiOperation({ summary: 'The built-in flow templates (create one with POST /v1/flows/from-template)' })
  @ApiOkResponse({ schema: { example: { data: [{ ...TEMPLATE_EXAMPLE, definition: FLOW_EXAMPLE.definition }] } } })
  list() {
    return { data: this.catalog.list().map((t) => present(t, true)) };
  }

  @Get(':key')
  @RequirePermission('flows:read')
  @ApiOperation({ summary: 'One built-in template with its flow document' })
  @ApiOkResponse({ schema: { example: { ...TEMPLATE_EXAMPLE, definition: FLOW_EXAMPLE.definition } } })
  get(@Param() params: TemplateKeyParamDto) {
    return present(this.catalog.get(params.key), true);
  }
}
