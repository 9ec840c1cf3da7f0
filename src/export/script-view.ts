/**
 * What both script templates (locustfile, k6) need from an export, computed once: the requests as
 * plain data the script walks, the level list and the option texts of the header comments. Pure.
 */
import { latencyTestName, NO_502_TEST } from '../model.js';
import { VERSION } from '../version.js';
import type { ExportRequest, ExportSuite, Part } from './describe-targets.js';
import { loadTestLevels, targetsOf, type LoadTestOptions } from './options.js';

/** A text as the scripts take it: a plain string, or a list of strings and ["secret"|"dynamic", name] pairs. */
export type ScriptText = string | (string | [string, string])[];

export function scriptText(parts: readonly Part[]): ScriptText {
  if (parts.length === 0) return '';
  if (parts.length === 1 && typeof parts[0] === 'string') return parts[0];
  return parts.map((p) => (typeof p === 'string' ? p : 'secret' in p ? ['secret', p.secret] : ['dynamic', p.dynamic]));
}

function scriptRequest(r: ExportRequest) {
  return {
    label: r.label,
    method: r.method,
    url: scriptText(r.url),
    headers: r.headers.map(([name, value]) => [scriptText(name), scriptText(value)]),
    ...(r.body ? { body: 'raw' in r.body ? { raw: scriptText(r.body.raw) } : { form: r.body.form.map(([k, v]) => [scriptText(k), scriptText(v)]) } } : {}),
  };
}

/** The fields every script template uses. */
export function buildScriptView(suite: ExportSuite, options: LoadTestOptions) {
  const targets = targetsOf(options.target);
  const levels = loadTestLevels(options);
  return {
    version: VERSION,
    targetList: targets.join(', then '),
    levelText: levels.join(' → '),
    stepSeconds: options.stepDurationMs / 1000,
    thresholdText: options.threshold === 0 ? '0%' : `${+(options.threshold * 100).toFixed(2)}%`,
    failOnText: `${options.failOn.length > 8 ? `${options.failOn[0]}–${options.failOn[options.failOn.length - 1]}` : options.failOn.join('/')}${options.failOnSlow ? ` or took ${suite.maxResponseTimeMs} ms or more` : ''}`,
    maxResponseTimeMs: suite.maxResponseTimeMs,
    latencyTestName: latencyTestName(suite.maxResponseTimeMs),
    no502TestName: NO_502_TEST,
    secrets: suite.secrets.map((s) => ({
      envVar: s.envVar,
      description: s.kind === 'header' ? 'a credential written in the collection itself, as it stands there: a whole Authorization header value, e.g. "Bearer ...", or an auth helper\'s token' : 'a secret variable of the collection',
    })),
    levels,
    threshold: options.threshold,
    failOn: options.failOn,
    failOnSlow: options.failOnSlow,
    bisect: options.bisect,
    maxDurationSeconds: options.maxDurationMs / 1000,
    targetOrder: targets,
    hosts: Object.fromEntries(suite.targets.map((t) => [t.target, t.host])),
    secretMap: Object.fromEntries(suite.secrets.map((s) => [s.name, s.envVar])),
    requests: Object.fromEntries(suite.targets.map((t) => [t.target, t.requests.map(scriptRequest)])),
  };
}
