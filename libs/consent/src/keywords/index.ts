// The inbound keyword classifier (STOP / START / HELP / YES and informal revocations).
export * from './classify-inbound';
export * from './keyword-lists';
