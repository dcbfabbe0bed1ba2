import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/index.js';
import { declaredSecrets } from '../../../src/model/declared-secrets.js';
import { isSecretName } from '../../../src/model/sensitive.js';

describe('isSecretName', () => {
  it('matches secret words as whole parts of the name, numbered or not', () => {
    for (const name of [
      'PASSWORD',
      'PASSWORD2',
      'DB_PASSWORD_2',
      'API_KEY',
      'API_KEY3',
      'SESSION_SECRET',
      'github_token',
    ]) {
      expect(isSecretName(name), name).toBe(true);
    }
    for (const name of ['NODE_ENV', 'KEYBOARD_LAYOUT', 'PASSAGE', 'MONKEY', 'WEB_CONCURRENCY']) {
      expect(isSecretName(name), name).toBe(false);
    }
  });

  it('recognises a secret word alone, as a prefix, as a suffix and in the middle, in any case', () => {
    const secret = [
      'SECRET',
      'SECRETS',
      'TOKEN',
      'PASSWORD',
      'PASSWD',
      'PASS',
      'PWD',
      'PRIVATE',
      'CREDENTIAL',
      'CREDENTIALS',
      'KEY',
      'APIKEY',
      'AUTH',
      'SALT',
      'DSN',
      'SIGNATURE',
      'CERT',
      'LICENSE',
      'API_TOKEN',
      'SESSION_SECRET',
      'TOKEN_URL',
      'SENTRY_DSN_PUBLIC',
      'db_password',
      'Stripe_Key',
    ];
    expect(secret.filter((name) => !isSecretName(name))).toEqual([]);
  });

  it('does not match a secret word inside another word', () => {
    const plain = ['NODE_ENV', 'TOKENIZER_MODE', 'MONKEY', 'KEYBOARD_LAYOUT', 'PASSPORT_OFFICE', 'AUTHOR', 'SALTY', 'PORT', 'BYPASS_CACHE'];
    expect(plain.filter((name) => isSecretName(name))).toEqual([]);
  });
});

describe('declaredSecrets', () => {
  const text = `version: 1
name: shop
environments:
  staging:
    app: shop-staging
    config:
      NODE_ENV: staging
      HIDDEN: { value: x, sensitive: true }
      MAIL_URL: "smtp://mail:\${MAIL_PASS}@mail.example.net"
      PAYMENTS: { from_env: PAYMENTS_KEY_STAGING }
      SESSION_SECRET: { generate: secret, bytes: 48 }
      STATIC_TOKEN: abc
  production:
    app: shop-production
    config:
      PAYMENTS: { from_env: PAYMENTS_KEY_PRODUCTION }
`;
  const parsed = parseConfig(text, 'app.yaml', { MAIL_PASS: 'pw' });
  if (parsed.config === undefined) throw new Error(JSON.stringify(parsed.diagnostics));
  const config = parsed.config;

  it('lists what the environment deploying the app keeps secret, as app.yaml declares it', () => {
    expect(Object.fromEntries(declaredSecrets(config, 'shop-staging'))).toEqual({
      HIDDEN: { fromEnv: 'HIDDEN' },
      MAIL_URL: { fromEnv: 'MAIL_URL' },
      PAYMENTS: { fromEnv: 'PAYMENTS_KEY_STAGING' },
      SESSION_SECRET: { generate: 48 },
      STATIC_TOKEN: { fromEnv: 'STATIC_TOKEN' },
    });
    expect(Object.fromEntries(declaredSecrets(config, 'shop-production'))).toEqual({
      PAYMENTS: { fromEnv: 'PAYMENTS_KEY_PRODUCTION' },
    });
  });

  it('for an app no environment deploys, what any environment keeps secret', () => {
    expect([...declaredSecrets(config, 'elsewhere').keys()].sort()).toEqual([
      'HIDDEN',
      'MAIL_URL',
      'PAYMENTS',
      'SESSION_SECRET',
      'STATIC_TOKEN',
    ]);
  });
});
