// The inbound keyword classifier (STOP / START / HELP / YES and informal revocations) lives here.
export {};
