import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConsentModule } from '@optline/consent';
import { ContactsModule } from '@optline/contacts';
import { MessagingModule } from '@optline/messaging';
import { PluginSdkModule } from '@optline/plugin-sdk';
import { ContactInviteController } from './invitations/contact-invite.controller';
import { OptInInvitationService } from './invitations/opt-in-invitation.service';
import { FlowController } from './lifecycle/flow.controller';
import { FlowRunQueryService } from './lifecycle/flow-run-query.service';
import { FlowActivityController } from './lifecycle/flow-activity.controller';
import { FlowActivityService } from './lifecycle/flow-activity.service';
import { FlowTemplateController } from './lifecycle/flow-template.controller';
import { FlowService } from './lifecycle/flow.service';
import { ManualEnrolmentService } from './lifecycle/manual-enrolment.service';
import { RunController } from './lifecycle/run.controller';
import { TemplateFlowProvisioner } from './lifecycle/template-flow-provisioner.service';
import { Flow } from './persistence/flow.entity';
import { FlowRun } from './persistence/flow-run.entity';
import { FlowRunRepository } from './persistence/flow-run.repository';
import { FlowRunStep } from './persistence/flow-run-step.entity';
import { FlowReferences } from './persistence/flow-references';
import { FlowRepository } from './persistence/flow.repository';
import { FlowVersion } from './persistence/flow-version.entity';
import { FlowEnrolmentService } from './runner/flow-enrolment.service';
import { FlowExitService } from './runner/flow-exit.service';
import { FlowReconciler } from './runner/flow-reconciler.service';
import { FlowInboundClaimant } from './runner/flow-inbound.claimant';
import { FlowReplyListener } from './runner/flow-reply.listener';
import { FlowRunner } from './runner/flow-runner.service';
import { FlowTimers } from './runner/flow-timers';
import { FlowTriggerConsumer } from './runner/flow-trigger.consumer';
import { FlowWebhookClient } from './runner/flow-webhook.client';
import { HubEventBridge } from './runner/hub-event.bridge';
import { LiveStepEffectsFactory } from './runner/live-step-effects';
import { RunContextLoader } from './runner/run-context.loader';
import { FlowSimulationService } from './simulator/flow-simulation.service';
import { FlowTemplateCatalog } from './templates/flow-template.catalog';
import { ScheduledEventScanner } from './timed/scheduled-event.scanner';
import { SegmentMembership } from './logic/segment-membership';

/**
 * Flows: definitions and versions, the lifecycle API, trigger matching (a trigger-event
 * consumer), replies, the runner and its executors, the reconciler, the simulator and the
 * built-in templates. Its Bull processor and periodic work live in FlowsWorkerModule.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Flow, FlowVersion, FlowRun, FlowRunStep]), ContactsModule, ConsentModule, MessagingModule, PluginSdkModule],
  controllers: [FlowController, RunController, FlowTemplateController, ContactInviteController, FlowActivityController],
  providers: [
    FlowRepository,
    FlowReferences,
    FlowRunRepository,
    FlowTemplateCatalog,
    FlowService,
    FlowRunQueryService,
    ManualEnrolmentService,
    OptInInvitationService,
    TemplateFlowProvisioner,
    FlowSimulationService,
    FlowActivityService,
    FlowTimers,
    FlowEnrolmentService,
    FlowExitService,
    FlowTriggerConsumer,
    FlowReplyListener,
    FlowInboundClaimant,
    HubEventBridge,
    FlowWebhookClient,
    LiveStepEffectsFactory,
    RunContextLoader,
    FlowRunner,
    FlowReconciler,
    ScheduledEventScanner,
    SegmentMembership,
  ],
  exports: [FlowService, FlowRunner, FlowReconciler, ScheduledEventScanner, FlowEnrolmentService, FlowTemplateCatalog, SegmentMembership],
})
export class FlowsModule {}
