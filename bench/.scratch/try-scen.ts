import { referenceConfig, largeConfig } from '../config.ts';
import { BenchSandbox } from '../sandbox.ts';
import { runScenarios } from '../scenarios.ts';
const which = process.argv[2] ?? 'reference';
const c = which === 'large' ? largeConfig() : referenceConfig('/work/main');
const sb = await BenchSandbox.start('/work/main', c.zones);
try {
  const t = performance.now();
  const res = await runScenarios(c, sb, (process.argv[3] ?? '0').split(',').map(Number), Number(process.argv[4] ?? 1), (l) => console.log(l));
  for (const r of res) {
    console.log(r.scenario, JSON.stringify(r.wallMs), r.requestsByLatency, 'slope', r.roundsSlope.toFixed(2), 'rounds', JSON.stringify(r.rounds), 'calls', r.calls.made, '/', r.calls.minimum, r.calls.ratio.toFixed(2));
    for (const e of r.calls.extras) console.log('   extra', e.request, e.status, e.kind, e.reason);
    for (const m of r.calls.missing) console.log('   MISSING', m);
  }
  console.log('total', Math.round(performance.now() - t));
} finally { await sb.close(); }
