import { ConfigError, loadAppConfig } from './app-config';

const KEY = 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=';

describe('WORKER_NICE', () => {
  it('is 10 unless set, and takes 0 to 19', () => {
    expect(loadAppConfig({ OPTLINE_ENCRYPTION_KEY: KEY }).WORKER_NICE).toBe(10);
    expect(loadAppConfig({ OPTLINE_ENCRYPTION_KEY: KEY, WORKER_NICE: '0' }).WORKER_NICE).toBe(0);
    expect(loadAppConfig({ OPTLINE_ENCRYPTION_KEY: KEY, WORKER_NICE: '19' }).WORKER_NICE).toBe(19);
  });

  it.each(['20', '-5', 'low'])('refuses %s, naming the variable and its range', (value) => {
    expect(() => loadAppConfig({ OPTLINE_ENCRYPTION_KEY: KEY, WORKER_NICE: value })).toThrow(ConfigError);
    expect(() => loadAppConfig({ OPTLINE_ENCRYPTION_KEY: KEY, WORKER_NICE: value })).toThrow(/WORKER_NICE must be a whole number from 0 to 19/);
  });
});
