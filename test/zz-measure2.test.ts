import { startSandbox } from '/work/main/src/sandbox/index.js';
import { Scenario, REFERENCE_YAML } from '/work/main/test/helpers/scenario.js';
import { it } from "vitest";
it("m", async () => {
const sb = await startSandbox({ seed: 1, zones: [{ name: 'daffeinated.com', plan: 'pro' }], heroku: { addonProvisionMs: 0, domainMs: 0, acmMs: 0 } });
const sc = new Scenario(() => sb, REFERENCE_YAML, { DAFFEINATED_SANDBOX_PROCESSES: 'off' });
let t0 = performance.now();
for (let i = 0; i < 12; i++) {
  await sb.reset();
  const t = performance.now();
  const r = await sc.run(['apply', '--all', '--yes']);
  const t2 = performance.now();
  const r2 = await sc.run(['apply', '--all', '--yes']);
  console.log('apply', r.code, r2.code, Math.round(t2 - t), Math.round(performance.now() - t2), 'ms');
}
console.log('total', performance.now() - t0);
await sb.close();
}, 120000);
