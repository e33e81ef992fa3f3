export * from './registration.module';
export { RegistrationKitService, type RegistrationKit } from './kit/registration-kit.service';
export type { KitCampaign, KitFinding, KitSample } from './kit/kit.types';
