import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HerokuClient } from '../../../src/providers/heroku/client.js';

// heroku-client reads SSL_CERT_FILE and every file of SSL_CERT_DIR synchronously for each request
// (its Request constructor); the client builds one Request as a template, so they are read once.
const BASE = 'https://api.heroku.example';
const fs = createRequire(import.meta.url)('fs') as typeof import('node:fs');
const saved = { file: process.env['SSL_CERT_FILE'], dir: process.env['SSL_CERT_DIR'] };

afterEach(() => {
  nock.cleanAll();
  vi.restoreAllMocks();
  for (const [key, value] of [['SSL_CERT_FILE', saved.file], ['SSL_CERT_DIR', saved.dir]] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

describe('HerokuClient and CA certificates', () => {
  it('reads the certificates of SSL_CERT_FILE once per client, not once per request', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'daff-certs-')), 'ca.pem');
    writeFileSync(file, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    process.env['SSL_CERT_FILE'] = file;
    delete process.env['SSL_CERT_DIR'];
    const reads = vi.spyOn(fs, 'readFileSync');
    const client = new HerokuClient({ baseUrl: BASE, token: 't', userAgent: 'test' });
    nock(BASE).get('/apps/x').times(5).reply(200, { id: 'x' });
    for (let i = 0; i < 5; i++) await client.get('/apps/x');
    expect(reads.mock.calls.filter(([path]) => path === file)).toHaveLength(1);
  });
});
