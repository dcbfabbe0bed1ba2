import { describe, expect, it } from 'vitest';
import { renderDiagnostics, renderError } from '../../../src/render/diagnostics.js';
import type { Diagnostic } from '../../../src/runtime/diagnostics.js';
import { ConfigError, DaffError, InternalError, NotFoundError, ProviderError, UnsafePlanError } from '../../../src/runtime/errors.js';

const ESC = '\u001b[';
const warning: Diagnostic = {
  severity: 'warning',
  message: 'size "standard-1x" is deprecated',
  path: 'environments.staging.formation.worker.size',
  file: 'app.yaml',
  line: 22,
  col: 15,
  hint: 'use "basic"',
};
const error: Diagnostic = { severity: 'error', message: 'unknown key "formaton"', file: 'app.yaml', line: 3, col: 1 };

describe('renderDiagnostics', () => {
  it('sorts by location and writes location, severity, message, path and hint', () => {
    expect(renderDiagnostics([warning, error])).toBe(
      'app.yaml:3:1: error: unknown key "formaton"\n' +
        'app.yaml:22:15: warning: size "standard-1x" is deprecated (at environments.staging.formation.worker.size)\n' +
        '  hint: use "basic"\n',
    );
  });

  it('returns nothing for no diagnostics', () => {
    expect(renderDiagnostics([])).toBe('');
  });

  it('omits an unknown location and indents a multi-line message', () => {
    expect(renderDiagnostics([{ severity: 'error', message: 'first\nsecond' }])).toBe('error: first\n  second\n');
  });

  it('colours severities only when asked', () => {
    const coloured = renderDiagnostics([warning, error], { color: true });
    expect(coloured).toContain(`${ESC}31merror${ESC}39m`);
    expect(coloured).toContain(`${ESC}33mwarning${ESC}39m`);
    expect(renderDiagnostics([warning, error])).not.toContain(ESC);
  });
});

describe('renderError', () => {
  it('writes the message and the hint', () => {
    expect(renderError(new DaffError('Cannot read app.yaml', { hint: 'run `daffeinated init`' }))).toBe(
      'Error: Cannot read app.yaml\n  hint: run `daffeinated init`\n',
    );
  });

  it('names the address, status, API code and request id of a provider error', () => {
    const e = new NotFoundError('heroku', 'App not found', {
      status: 404,
      requestId: 'req-123',
      apiCode: 'not_found',
      hint: 'check the app name',
    }).at('heroku.app[staging]');
    expect(renderError(e)).toBe(
      'Error: heroku.app[staging]: App not found (HTTP 404, not_found, request id req-123)\n  hint: check the app name\n',
    );
  });

  it('lists the diagnostics of a config error', () => {
    expect(renderError(new ConfigError([warning, error], 'fix app.yaml'))).toBe(
      'Error: 1 problem in the configuration:\n' +
        '  app.yaml:3:1: error: unknown key "formaton"\n' +
        '  app.yaml:22:15: warning: size "standard-1x" is deprecated (at environments.staging.formation.worker.size)\n' +
        '    hint: use "basic"\n' +
        '  hint: fix app.yaml\n',
    );
  });

  it('keeps multi-line messages under the label', () => {
    expect(renderError(new UnsafePlanError(['deletes heroku.app[x]', 'deletes 40% of records'], 'use --force'))).toBe(
      'Error: Refusing to apply: \n    - deletes heroku.app[x]\n    - deletes 40% of records\n  hint: use --force\n',
    );
  });

  it('handles plain errors and thrown non-errors', () => {
    expect(renderError(new TypeError('x is undefined'))).toBe('Error: x is undefined\n');
    expect(renderError('a string')).toBe('Error: a string\n');
  });

  it('prints no stack without debug, and the stack with its causes with debug', () => {
    const e = new InternalError('planner crashed', new Error('root cause'));
    expect(renderError(e)).not.toContain('    at ');
    const debug = renderError(e, { debug: true });
    expect(debug).toContain('\n\nInternalError: planner crashed\n    at ');
    expect(debug).toContain('\n\nCaused by: Error: root cause\n    at ');
  });

  it("never prints a JSON parser's quote of the body it parsed, even with debug", () => {
    const parse = (body: string): SyntaxError => {
      try {
        JSON.parse(body);
      } catch (error) {
        return error as SyntaxError;
      }
      throw new Error('parsed');
    };
    const quoting = parse('sk_live_canary_9f3e');
    expect(quoting.message).toContain('sk_live_canary_9f3e');
    const e = new ProviderError('heroku', 'Heroku answered GET /apps/a/config-vars with a body that is not valid JSON (cut short?)', { cause: quoting });
    const debug = renderError(e, { debug: true });
    expect(debug).not.toContain('sk_live');
    expect(debug).toContain("\n\nCaused by: SyntaxError: the parser's message is withheld, it may quote the body\n    at ");
    const positioned = renderError(new DaffError('outer', { cause: parse('{"a": 1} x') }), { debug: true });
    expect(positioned).toContain("Caused by: SyntaxError: the parser's message is withheld, it may quote the body at position 9\n");
  });

  it('stops at a cause cycle and describes a non-error cause', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    a.cause = b;
    expect(renderError(a, { debug: true }).match(/Caused by/g)).toHaveLength(1);
    const withString = new DaffError('outer', { cause: 'socket hang up' });
    expect(renderError(withString, { debug: true })).toContain('\n\nCaused by: socket hang up\n');
  });

  it('colours the label only when asked', () => {
    const e = new DaffError('boom', { hint: 'retry' });
    expect(renderError(e, { color: true })).toContain(`${ESC}1m${ESC}31mError:${ESC}39m${ESC}22m boom`);
    expect(renderError(e, { color: true }).replace(/\u001b\[\d+m/g, '')).toBe(renderError(e));
  });
});
