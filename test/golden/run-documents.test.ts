import { describe, expect, it } from 'vitest';
import { deployDocument } from '../../src/commands/deploy-report.js';
import { promoteDocument } from '../../src/commands/promote-report.js';
import { DaffError } from '../../src/runtime/errors.js';
import { healthyDeploy, promotion } from '../unit/commands/run-fixtures.js';

// `deploy --format json` and `promote --format json` of fixed runs: these files change only when
// the documents do. Update with `npx vitest run test/golden -u` and review the diff.
describe('golden documents', () => {
  it('deploy --format json of a healthy deploy', async () => {
    const { journal, deployed } = healthyDeploy();
    await expect(deployDocument(journal, deployed, undefined)).toMatchFileSnapshot('outputs/deploy.json');
  });

  it('promote --format json of a promotion with a target rolled back', async () => {
    const { journal } = promotion();
    const error = new DaffError('Promotion failed: shop-production v31 failed its health check (https://shop.example/health: HTTP 500); rolled back to v30 (new release v32, verified)', {
      hint: 'Rolled-back targets run their previous release again.',
    });
    await expect(promoteDocument(journal, error)).toMatchFileSnapshot('outputs/promote.json');
  });
});
