import { Module } from '@nestjs/common';
import { EventDispatchProcessor } from './dispatch/event-dispatch.processor';
import { TriggerEventMaintenance } from './events/trigger-event-maintenance.service';
import { PluginSdkModule } from './plugin-sdk.module';
import { ConsentWritebackProcessor } from './writeback/consent-writeback.processor';

/** The SDK's Bull processors: 'event.dispatch' (queue events) and 'plugin.consent-writeback' (queue plugin-tasks). */
@Module({
  imports: [PluginSdkModule],
  providers: [EventDispatchProcessor, ConsentWritebackProcessor, TriggerEventMaintenance],
})
export class PluginSdkWorkerModule {}
