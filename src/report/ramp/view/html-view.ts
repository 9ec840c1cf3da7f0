import { basename } from 'node:path';
import { levelOf, nameLevel } from '../../../facts/level.js';
import type { RampReport, RampTarget, TargetResult } from '../../../model.js';
import { buildRampCharts, type RampCharts } from '../chart/ramp-charts.js';
import { formatStepTable, type StepTableRow } from './step-table.js';
import { describePassCondition, formatCount, formatRate, hasFailuresBeyond502, shortenPath, splitStatusCounts, TARGET_LABEL, VERDICT_LABEL, VERDICT_TONE } from '../../format.js';
import { describeByline, describeFooter, describeRunRows, makeTile, type KitPage, type NextStep, type Tile } from '../../kit/page.js';
import { collectionArgument, environmentOptions, shellWord } from '../../kit/next-steps.js';
import { describeRampLevels } from './answer.js';
import { describeOptions, describeUnderdriven, listTargetFacts, listTargets, nameFailure, targetVariable, type TargetFact } from './summarize.js';

/**
 * Everything the ramp's page shows besides the kit's own parts, as plain text and numbers. Every
 * field is present (null, never missing) because the template runs in Handlebars strict mode.
 */
export interface RampHtmlView {
  page: KitPage;
  charts: RampCharts;
  passCondition: string;
  /** The captions say whether the markers are every step or the telling ones. */
  everyStepShown: boolean;
  targets: {
    key: RampTarget;
    label: string;
    variable: string;
    /** "502" or "failure": what the first-failure ordinals count. */
    failureNoun: string;
    facts: Tile[];
    underdrivenNote: string | null;
    /** The step table: every step, or past MAX_TABLE_STEPS the telling ones with gap rows between. */
    rows: StepTableRow[];
    /** Says which steps the table and the chart's markers leave out; null when none. */
    tableNote: string | null;
    /** Optional table columns, shown only when some step has something to put there. */
    columns: { other: boolean; failures: boolean; average: boolean; statusSpan: number; middleSpan: number; tailSpan: number; totalSpan: number };
  }[];
}

const SOURCE_NAME = { locust: 'Locust', k6: 'k6' } as const;

/** Builds the ramp's page: the kit's header, verdict and tiles, one chart pair for both targets, a card per target. */
export function buildHtmlView(report: RampReport): RampHtmlView {
  const { meta, verdict } = report;
  const targets = listTargets(report);
  const measured = meta.source === undefined;
  const subject = meta.collectionName ?? (meta.source ? `Ramp run with ${SOURCE_NAME[meta.source.tool]}` : shortenPath(meta.collection));
  const tables = targets.map(({ result }) => formatStepTable(result, measured));
  const page: KitPage = {
    kind: 'ramp',
    kicker: `debug502 · ramp report${meta.source ? ` · imported from ${SOURCE_NAME[meta.source.tool]}` : ''}`,
    title: `Ramp report: ${subject} — ${verdict.code}`,
    heading: subject,
    headingTitle: meta.collection,
    byline: describeByline(meta, meta.source ? `from ${meta.source.files.map((file) => basename(file)).join(', ') || SOURCE_NAME[meta.source.tool]}` : `engine ${meta.options.engine ?? 'newman'}`),
    verdict: {
      code: verdict.code,
      label: VERDICT_LABEL[verdict.code] ?? verdict.code,
      tone: VERDICT_TONE[verdict.code] ?? 'warn',
      answer: describeRampLevels(report),
      message: verdict.message,
      next: verdict.next ?? null,
      caveats: verdict.caveats ?? [],
    },
    aborted: meta.aborted ? { reason: meta.aborted.reason, title: `The ramp stopped early (${meta.aborted.reason}).`, message: `${meta.aborted.message} The figures below cover the steps that completed.` } : null,
    tiles: listRampTiles(report),
    nextSteps: listRampNextSteps(report),
    details: [
      { title: 'Options', rows: describeOptions(meta.options, meta.source) },
      {
        title: 'Run',
        rows: [
          { name: 'Collection', value: meta.collection },
          { name: 'Environment', value: meta.environment || '—' },
          ...(meta.source ? [{ name: 'Read from', value: meta.source.files.join(', ') || '—' }] : []),
          ...describeRunRows(meta),
        ],
      },
    ],
    version: meta.version,
    footer: describeFooter(meta.version, '"debug502 report --from ramp.json" re-renders it'),
  };
  return {
    page,
    charts: buildRampCharts(report),
    passCondition: describePassCondition(meta.options),
    everyStepShown: tables.every((table) => table.note === null),
    targets: targets.map(({ key, result }, i) => ({
      key,
      label: TARGET_LABEL[key],
      variable: targetVariable(key),
      failureNoun: nameFailure(result, meta.options.failOn),
      facts: listTargetFacts(result, report).map(toTile),
      underdrivenNote: describeUnderdriven(result),
      rows: tables[i].rows,
      tableNote: tables[i].note,
      columns: chooseColumns(result),
    })),
  };
}

const toTile = (fact: TargetFact): Tile =>
  makeTile(fact.label, fact.value, fact.detail || null, fact.label === 'Breaking point' && fact.value !== 'none' ? 'bad' : null);

/**
 * The page's headline figures: each target's breaking point (or how far it held), the steps and
 * requests, and the client's CPU at its busiest step — "—", not 0%, for an import, which never
 * measured it.
 */
function listRampTiles(report: RampReport): Tile[] {
  const targets = listTargets(report);
  const tiles = targets.map(({ key, result }) => describeBreakTile(key, result));
  const steps = targets.flatMap(({ result }) => result.steps);
  const requests = steps.reduce((n, s) => n + s.requests, 0);
  tiles.push(makeTile('Steps', formatCount(steps.length), `${formatCount(requests)} requests`));
  const busiest = steps.reduce<number | undefined>((top, s) => Math.max(top ?? 0, s.clientCpuPercent), undefined);
  tiles.push(report.meta.source || busiest === undefined
    ? makeTile('Client CPU', undefined, report.meta.source ? `not measured by ${SOURCE_NAME[report.meta.source.tool]}` : 'no step ran')
    : makeTile('Client CPU', `${Math.round(busiest)}%`, 'of one core, at the busiest step', busiest >= 90 ? 'warn' : null));
  return tiles;
}

function describeBreakTile(key: RampTarget, result: TargetResult): Tile {
  const label = `${key === 'gateway' ? 'Gateway' : 'Backend'} breaks at`;
  const bp = result.breakingPoint;
  if (bp) {
    const held = result.lastPassing ? `held at ${formatCount(levelOf(result.lastPassing))} · ` : '';
    return makeTile(label, nameLevel(bp), `${held}${formatRate(bp.rps)} req/s there`, 'bad', key);
  }
  if (result.steps.length === 0) return makeTile(label, 'not ramped', 'no step completed', null, key);
  return makeTile(label, 'none', result.lastPassing ? `held up to ${nameLevel(result.lastPassing)}${result.underdriven ? ', underdriven above' : ''}` : 'no level passed', result.underdriven ? 'warn' : 'good', key);
}

/** The commands that follow a ramp, with its own collection and environment: why (diagnose), again, re-render. */
function listRampNextSteps(report: RampReport): NextStep[] {
  const { meta } = report;
  if (meta.source) {
    const file = meta.source.files[0];
    const again = meta.source.tool === 'locust'
      ? `debug502 report --from-locust ${file ? shellWord(file.replace(/_stats_history\.csv$/, '')) : '<csv prefix>'}`
      : `debug502 report --from-k6 ${file ? shellWord(file) : '<summary.json>'}`;
    return [
      { text: 'Find out why the failures start: probe both sides and read the gateway\'s log.', command: `debug502 diagnose --environment <environment file> --log <the gateway's log>` },
      { text: 'Build these reports again from the same results (another --threshold or --fail-on, say).', command: again },
    ];
  }
  const env = environmentOptions(meta.environment);
  const collection = collectionArgument(meta.collection);
  const o = meta.options;
  const top = o.mode === 'rate' ? `--mode rate --max-rate ${o.maxRate ?? o.max}` : `--max ${o.max}`;
  return [
    { text: 'Find out why: diagnose probes gateway and backend with the same requests and reads the gateway\'s log.', command: `debug502 diagnose ${env} --collection ${collection} --log <the gateway's log>` },
    { text: 'After a change, ramp again with the same plan and compare.', command: `debug502 ramp ${collection} ${env} --target ${o.target} ${top}${o.engine && o.engine !== 'newman' ? ` --engine ${o.engine}` : ''}` },
    { text: 'Re-render these reports from the canonical file (another -r, or after an upgrade).', command: 'debug502 report --from ramp.json' },
  ];
}

/**
 * Leaves out the "Other" status and "Failures" columns when they would only repeat zeros or the 502
 * ratio, and "Avg in flight" for reports written before it was measured.
 */
function chooseColumns(result: TargetResult): RampHtmlView['targets'][number]['columns'] {
  const other = result.steps.some((s) => splitStatusCounts(s.status).other !== '');
  const failures = hasFailuresBeyond502(result.steps);
  const statusSpan = 5 + (other ? 1 : 0);
  const middleSpan = 2 + (failures ? 1 : 0);
  const average = result.steps.some((s) => s.avgInFlight !== undefined);
  const tailSpan = 5 + (average ? 1 : 0);
  return { other, failures, average, statusSpan, middleSpan, tailSpan, totalSpan: 2 + statusSpan + middleSpan + 5 + tailSpan };
}
