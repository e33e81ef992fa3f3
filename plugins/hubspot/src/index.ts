export * from './hubspot.module';
export { HubspotPlugin, HUBSPOT_PLUGIN_ID } from './hubspot.plugin';
export { HubspotConfigDto, HUBSPOT_MAPPABLE_EVENTS } from './config/hubspot-config.dto';
export type { HubspotMappableEvent } from './config/hubspot-config.dto';
export { HubspotClientFactory, DEFAULT_HUBSPOT_API_OPTIONS } from './crm/hubspot-client.factory';
export type { HubspotApiOptions } from './crm/hubspot-client.factory';
