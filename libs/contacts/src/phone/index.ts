export { normalizePhone, isE164 } from './normalize-phone';
export { phoneGeo, type PhoneGeo } from './phone-geo';
export { regionCodeOf } from './regions';
