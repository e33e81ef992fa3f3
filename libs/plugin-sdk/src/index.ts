// The plugin contract
export * from './contract/canonical-events';
export * from './contract/plugin';
export * from './contract/plugin-host';
export * from './contract/secret.decorator';
export * from './contract/config-schema';
// The registry and the event store (for plugin modules, flows and the hub's own events)
export { PluginRegistry } from './registry/plugin-registry';
export { TriggerEvent, TRIGGER_EVENT_STATUSES } from './events/trigger-event.entity';
export type { TriggerEventStatus, TriggerEventOutcome } from './events/trigger-event.entity';
export { TriggerEventConsumers } from './events/trigger-event-consumers';
export type { TriggerEventConsumer, ConsumedEvent } from './events/trigger-event-consumers';
export { TriggerEventStore, HUB_SOURCE } from './events/trigger-event-store.service';
export { HubFlows, type HubFlowsProvider, type TemplateFlowStatus } from './host/hub-flows';
export { keepUnparsableHookBodies } from './ingress/unparsable-body';
export type { StoreResult } from './events/trigger-event-store.service';
// The signed preference-page links live in core (messaging renders them into every text).
export { PreferenceLinks } from '@optline/core';
export { SECRET_MASK } from './installations/installation-config.codec';
// OAuth connect flows of plugins: the one-use state and the console's view of a connection
export * from './oauth/oauth-state';
export * from './oauth/oauth-connection.dto';
// Types plugins need from the libraries below, so they never import those libraries
export type { Contact, UpsertContactInput } from '@optline/contacts';
export { CONSENT_MESSAGE_TYPES } from '@optline/consent';
export type { ConsentChange, ConsentMessageType, ConsentSource, ConsentState } from '@optline/consent';
// Modules
export * from './plugin-sdk.module';
export * from './plugin-sdk-worker.module';
