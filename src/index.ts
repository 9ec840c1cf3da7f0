/**
 * debug502 as a library: every command of the CLI is a function here, and the CLI (src/cli) only
 * parses argv and prints. Types that flow between the parts are in ./model.js.
 */
export * from './model.js';
export { Debug502Error, InputError, RuntimeError, EXIT, formatError, type ExitCode } from './errors.js';
export { VERSION } from './version.js';

// config + generate: ResolvedConfig → collection and environment JSON
export { loadConfig, resolveConfig, findConfigFile, CONFIG_DEFAULTS } from './config/index.js';
export { buildCollection, buildEnvironment, generate, planGeneratedFiles } from './generate/index.js';

// Postman collections: files, items, folders, routes, variables, request descriptions (plain data)
export {
  loadCollection, loadEnvironment, parseEnvVar, applyEnvVars, type PostmanCollection, type PostmanEnvironment,
  describeRequests, drawRequest, narrowToFolders, listRequestItems, findFolder, routeOfUrl, requestKeyOf, createTextResolver,
  type RequestDescription, type RequestBody, type DescribeInput,
} from './postman/index.js';
// Postman v12's v3 format: a directory of YAML, read into v2.1 and written from it
export { readV3Collection, isV3CollectionDir, writeV3Collection, writeV3Environment, type V3File } from './postman/v3/index.js';

// run: one pass through gateway and backend, a verdict per endpoint
export { runCollection, type RunOptions, type RunDeps } from './run/run-collection.js';
export { decideVerdict } from './run/verdict.js';
export { writeRunReports, parseRunReporters, RUN_REPORTER_NAMES, type RunReporterName } from './report/run/index.js';

// ramp: load until 502s begin, and its reports
export { runRamp, planRampInput, loadRampInput, resolveRampOptions, planRamp, RAMP_DEFAULTS, type RampInput, type RampDeps, type RampEvent } from './ramp/index.js';
export { renderRampReport, writeRampReport, readRampReport, parseRampReporters, RAMP_REPORTER_NAMES, type RampReporterName } from './report/ramp/index.js';

// the report kit: one writer, escapers, a typed registry of reporters per report kind
export { writeReportFiles, defineReporters, parseReporterNames, escapeXml, escapeMarkdown, type ReportFile, type Reporter, type ReporterRegistry } from './report/index.js';
export { renderDiagnoseFiles, parseDiagnoseReporters, DIAGNOSE_REPORTER_NAMES, toDiagnoseJson, type DiagnoseReporterName } from './report/diagnose/index.js';

// export: the ramp as a Locust locustfile or a k6 script, and their results back into a RampReport
export { exportCommand, type ExportCommandOptions, exportLoadTest, resolveLoadTestOptions, describeTargets, renderLocustfile, renderK6Script, importLocustRun, importK6Summary, buildLocustReport, buildK6Report, type LoadTestOptions, type ExportSuite } from './export/index.js';

// diagnose: probes and the gateway's logs (nginx, ALB, Envoy, HAProxy) → ranked findings
export { diagnose, readLog, readErrorLog, classifyLine, rankFindings, detectLogFormat, probeKeepalive, readNginxUpstreamKeepalive, type DiagnoseOptions, type LogSource } from './diagnose/index.js';

// watch: steady low-rate traffic over time, a timeline and a verdict on the pattern
export { watchCommand, runWatch, resolveWatchOptions, planArrivals, judgeWatch, WATCH_DEFAULTS, type WatchCommandOptions, type WatchInput, type WatchDeps } from './watch/index.js';
export { WATCH_REPORTERS, renderWatchFiles, parseWatchReporters } from './report/watch/index.js';

// engines: what sends a ramp's requests (newman runs the collection's scripts; fast is a lean HTTP/1.1 client)
export { ENGINES, ENGINE_NAMES, runNewman, runFast, type RunEngine, type EngineEntry, type EngineInput, type EngineListener, type EngineSummary } from './engines/index.js';

// gateways: one profile per gateway (recognition, status per upstream failure, pooling, words, how the lab starts it)
export { GATEWAYS, GATEWAY_KINDS, LAB_GATEWAY_KINDS, recogniseGateway, failureStatusesOf, failuresAnsweredWith, type GatewayKind, type GatewayProfile, type UpstreamFailure } from './gateways/index.js';
// lab: a backend with the guide's faults behind a real gateway (nginx, HAProxy, Caddy, Apache, Varnish) or the built-in one
export { startLab, startLabBackend, startNginx, startBuiltinProxy, findNginx, parseFault, checkLabUpstream, type Lab, type LabOptions, type LabFault } from './lab/index.js';
export { runDemo, DEMO_DEFAULTS } from './demo/run-demo.js';

// every command as the CLI runs it: (options, io) → { report, files, exitCode }; options are checked here
export { runCommand, type RunCommandOptions } from './run/run-command.js';
export { rampCommand, type RampCommandOptions } from './ramp/ramp-command.js';
export { diagnoseCommand, type DiagnoseCommandOptions } from './diagnose/diagnose-command.js';
export { reportCommand, type ReportCommandOptions } from './export/report-command.js';
export { initCommand, renderStarterConfig, type InitCommandOptions } from './init/init-command.js';
export type { CommandResult } from './io.js';
export { planReports, writePlannedReports, type ReportRequest, type ReportPlan } from './report/report-options.js';

// the CLI as a function, for embedding and in-process tests
export { main } from './cli/main.js';
export { processIo, captureIo, type Io } from './cli/io.js';
