import { Module, OnModuleInit } from '@nestjs/common';
import { PluginRegistry, PluginSdkModule } from '@optline/plugin-sdk';
import { FormApiController } from './forms/form-api.controller';
import { FormDirectory } from './forms/form-directory.service';
import { FormPageController } from './forms/form-page.controller';
import { FormSubmissionService } from './forms/form-submission.service';
import { PreferencePageController } from './preferences/preference-page.controller';
import { PreferenceService } from './preferences/preference.service';
import { WebFormsPlugin } from './web-forms.plugin';

/** The web-forms plugin: registers itself with the SDK and serves the hosted form and preference pages. */
@Module({
  imports: [PluginSdkModule],
  controllers: [FormPageController, FormApiController, PreferencePageController],
  providers: [WebFormsPlugin, FormDirectory, FormSubmissionService, PreferenceService],
})
export class WebFormsPluginModule implements OnModuleInit {
  constructor(
    private readonly registry: PluginRegistry,
    private readonly plugin: WebFormsPlugin,
  ) {}

  onModuleInit(): void {
    this.registry.register(this.plugin);
  }
}
