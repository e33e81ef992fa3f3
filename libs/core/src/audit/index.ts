export * from './audit-event.entity';
export * from './audit-trail.service';
