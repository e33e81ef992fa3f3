import { Global, Logger, Module } from '@nestjs/common';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { AppConfig } from '../config/app-config';
import { PreferenceLinks } from './preference-links';
import { EncryptionKey, keyIdOf, parseKey, SecretBox } from './secret-box';

const DEV_KEY_FILE = resolve(process.cwd(), '.optline/encryption.key');

/**
 * Outside production a missing OPTLINE_ENCRYPTION_KEY is replaced by a key generated once and
 * kept in .optline/ (git-ignored), so `npm start` works on a fresh machine without leaving
 * secrets unencrypted. Production refuses to start without an explicit key.
 */
function resolveCurrentKey(config: AppConfig): Buffer {
  if (config.OPTLINE_ENCRYPTION_KEY) return parseKey(config.OPTLINE_ENCRYPTION_KEY);
  if (process.env.NODE_ENV === 'production') {
    throw new Error('OPTLINE_ENCRYPTION_KEY is required in production (32 bytes, e.g. openssl rand -base64 32)');
  }
  if (!existsSync(DEV_KEY_FILE)) {
    mkdirSync(dirname(DEV_KEY_FILE), { recursive: true });
    writeFileSync(DEV_KEY_FILE, randomBytes(32).toString('base64'), { mode: 0o600 });
    new Logger('SecretBox').warn(`OPTLINE_ENCRYPTION_KEY is not set: generated a development key in ${DEV_KEY_FILE}`);
  }
  chmodSync(DEV_KEY_FILE, 0o600);
  return parseKey(readFileSync(DEV_KEY_FILE, 'utf8').trim());
}

export function createSecretBox(config: AppConfig): SecretBox {
  const current = resolveCurrentKey(config);
  const previous: EncryptionKey[] = (config.OPTLINE_PREVIOUS_ENCRYPTION_KEYS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((material) => {
      const key = parseKey(material.includes(':') ? material.slice(material.indexOf(':') + 1) : material);
      return { id: keyIdOf(key), key };
    });
  const hashKey = config.OPTLINE_HASH_KEY ? parseKey(config.OPTLINE_HASH_KEY) : undefined;
  return new SecretBox({ id: keyIdOf(current), key: current }, previous, hashKey);
}

@Global()
@Module({
  providers: [{ provide: SecretBox, inject: [AppConfig], useFactory: createSecretBox }, PreferenceLinks],
  exports: [SecretBox, PreferenceLinks],
})
export class CryptoModule {}
