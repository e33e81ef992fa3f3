import { Module } from '@nestjs/common';
import { FlowsModule } from './flows.module';
import { FlowStepProcessor } from './runner/flow-step.processor';
import { FlowMaintenance } from './timed/flow-maintenance.service';

/** Where workers run (HUB_ROLE=all|worker): the 'flow.step' processor and the periodic reconcile/scan. */
@Module({
  imports: [FlowsModule],
  providers: [FlowStepProcessor, FlowMaintenance],
  exports: [FlowMaintenance],
})
export class FlowsWorkerModule {}
