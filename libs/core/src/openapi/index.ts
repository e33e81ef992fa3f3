export * from './api-errors.decorator';
export * from './error-response.dto';
export * from './page.dto';
