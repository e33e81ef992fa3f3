import type { EventMappingSettings } from '../webhooks/hubspot-event-plan';
import type { HubspotConfigDto } from './hubspot-config.dto';

const DEFAULT_PHONE_PROPERTIES = ['mobilephone', 'phone'];

/**
 * The config with defaults applied. Optional fields may arrive as null (an admin clearing a field),
 * which class-validator lets through; the plugin treats null as "the default".
 */
export function mappingSettings(config: HubspotConfigDto): EventMappingSettings {
  return {
    portalId: Number(config.portalId),
    phoneProperties: config.phoneProperties?.length ? config.phoneProperties : DEFAULT_PHONE_PROPERTIES,
    lifecycleStageEvents: config.lifecycleStageEvents ?? { lead: 'lead.created' },
    dealStageEvents: config.dealStageEvents ?? {},
  };
}
