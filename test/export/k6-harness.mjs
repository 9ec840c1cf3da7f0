// Loads a k6 script as an ES module (node --experimental-vm-modules), with k6's modules stubbed:
// parses it, links its imports, evaluates it, runs each target's function ITERATIONS times (default
// once; exec.scenario.iterationInTest counts them) against a fake http that answers `STATUS`, and
// prints what k6 would see as JSON.
import { readFileSync } from 'node:fs';
import vm from 'node:vm';

const [file, status, envJson, iterations = '1'] = process.argv.slice(2);
const scenario = { startTime: Date.now(), iterationInTest: 0 };
const calls = { requests: [], checks: [], metrics: [] };
const context = vm.createContext({ __ENV: JSON.parse(envJson), console });
const stub = (exports) => {
  const names = Object.keys(exports);
  const m = new vm.SyntheticModule(names, function () { for (const n of names) this.setExport(n, exports[n]); }, { context });
  return m;
};
class Rate {
  constructor(name) { this.name = name; }
  add(value, tags) { calls.metrics.push([this.name, Boolean(value), tags.step]); }
}
const modules = {
  'k6/http': stub({ default: { request: (method, url, body, params) => { calls.requests.push({ method, url, body, params }); return { status: Number(status), timings: { duration: 12 } }; } } }),
  k6: stub({ check: (res, checks, tags) => { for (const [name, fn] of Object.entries(checks)) calls.checks.push([name, fn(res), tags.step]); return true; } }),
  'k6/execution': stub({ default: { scenario } }),
  'k6/metrics': stub({ Rate }),
};
try {
  const module = new vm.SourceTextModule(readFileSync(file, 'utf8'), { identifier: file, context });
  await module.link((specifier) => {
    if (!modules[specifier]) throw new Error(`unexpected import ${specifier}`);
    return modules[specifier];
  });
  await module.evaluate();
  const ns = module.namespace;
  const targets = Object.keys(ns.options.scenarios);
  for (const target of targets) {
    for (let i = 0; i < Number(iterations); i += 1) {
      scenario.iterationInTest = i;
      ns[ns.options.scenarios[target].exec]();
    }
  }
  const summary = ns.handleSummary({ metrics: {} });
  console.log(JSON.stringify({ exports: Object.keys(ns).sort(), options: ns.options, calls, summaryFiles: Object.keys(summary), plan: JSON.parse(summary['summary.json']).debug502 }));
} catch (error) {
  console.log(JSON.stringify({ error: String(error && error.message || error) }));
}
