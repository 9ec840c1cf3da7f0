/** Exports of the ramp to distributed load engines (Locust, k6), and reading their results back. */
export { describeTargets, SUPPORTED_DYNAMIC, type ExportRequest, type ExportSuite, type ExportTarget, type ExportSecret, type Part } from './describe-targets.js';
export { exportLoadTest, EXPORT_FORMATS, type ExportFormat, type ExportInput, type ExportResult } from './export-load-test.js';
export { resolveLoadTestOptions, loadTestLevels, SETTLE_MS, DEFAULT_STEP_DURATION_MS, type LoadTestOptions, type RawLoadTestOptions } from './options.js';
export { renderLocustfile, LOCUSTFILE_NAME } from './render-locustfile.js';
export { renderK6Script, K6_SCRIPT_NAME } from './render-k6.js';
export { secretEnvNames } from './secret-env-names.js';
export { toPythonLiteral } from './python-literal.js';
export { buildLocustReport, type LocustImportOptions } from './import-locust.js';
export { importLocustRun } from './read-locust-run.js';
export { importK6Summary, buildK6Report, type K6ImportOptions } from './import-k6.js';
export { exportCommand, type ExportCommandOptions } from './export-command.js';
