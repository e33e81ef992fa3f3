export * from './brand-profile.entity';
export * from './brand-profile.service';
export * from './brand-profile.dto';
export * from './tax-id';
export * from './brand-profile.controller';
export * from './brand-profile.responses';
