import { Module } from '@nestjs/common';
import { MessagingModule } from '@optline/messaging';
import { RegistrationKitController } from './http/registration-kit.controller';
import { KitSources } from './kit/kit-sources';
import { RegistrationKitService } from './kit/registration-kit.service';

/** Sender registration: the kit built from the workspace's flows (the brand profile is in core). */
@Module({ imports: [MessagingModule], controllers: [RegistrationKitController], providers: [KitSources, RegistrationKitService], exports: [RegistrationKitService] })
export class RegistrationApiModule {}
