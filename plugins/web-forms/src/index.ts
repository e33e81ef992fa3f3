export * from './web-forms.module';
