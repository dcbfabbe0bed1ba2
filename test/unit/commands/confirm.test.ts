import { describe, expect, it } from 'vitest';
import { confirmOrRefuse } from '../../../src/commands/confirm.js';
import { ConfirmationError, ExitCode } from '../../../src/runtime/errors.js';
import { fakeIo } from '../../helpers/cli.js';

const request = { yes: false, action: 'promote', productionApps: ['shop-production'], question: 'Promote v3?' };

describe('confirmOrRefuse', () => {
  it('--yes needs nobody', async () => {
    const io = fakeIo({ cwd: '/tmp' });
    await confirmOrRefuse(io, { ...request, yes: true });
    expect(io.prompts).toEqual([]);
  });

  it('refuses without a terminal, saying to pass --yes (exit 3)', async () => {
    const error = await confirmOrRefuse(fakeIo({ cwd: '/tmp' }), request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfirmationError);
    expect(error).toMatchObject({ exitCode: ExitCode.Refused, hint: 'Pass --yes to promote non-interactively (e.g. in CI).' });
  });

  it('asks for the production app names, and only the exact names will do', async () => {
    const ok = fakeIo({ cwd: '/tmp', interactive: true, answers: ['shop-production'] });
    await confirmOrRefuse(ok, request);
    expect(ok.prompts).toEqual(['This changes production. Type the app name (shop-production) to promote: ']);
    const wrong = fakeIo({ cwd: '/tmp', interactive: true, answers: ['yes'] });
    await expect(confirmOrRefuse(wrong, request)).rejects.toThrow('Promote cancelled: the confirmation did not match');
  });

  it('asks for yes when no production stage is affected', async () => {
    const io = fakeIo({ cwd: '/tmp', interactive: true, answers: ['yes'] });
    await confirmOrRefuse(io, { ...request, productionApps: [] });
    expect(io.prompts).toEqual(['Promote v3? Type yes to continue: ']);
  });
});
