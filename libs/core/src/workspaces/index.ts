export * from './workspace.entity';
export * from './workspace.service';
export * from './workspace.dto';
export * from './workspace-references';
export * from './brand';
