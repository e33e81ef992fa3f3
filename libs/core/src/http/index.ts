export * from './domain-exception.filter';
export * from './id-param.dto';
export * from './validation.pipe';
export * from './cursor-page-query.dto';
export * from './json-depth';
