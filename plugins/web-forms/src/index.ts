export * from './web-forms.module';
export { WebFormsPlugin, WEB_FORMS_PLUGIN_ID } from './web-forms.plugin';
export { WebFormsConfig, FormConfig, FormFieldConfig } from './web-forms.config';
export { publicFormId } from './forms/form-directory.service';
export { signSubmission } from './forms/submission-signature';
