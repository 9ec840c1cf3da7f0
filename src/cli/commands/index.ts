import type { CommandDefinition } from '../command.js';
import { demoCli } from './demo.js';
import { diagnoseCli } from './diagnose.js';
import { exportCli } from './export.js';
import { generateCli } from './generate.js';
import { initCli } from './init.js';
import { labCli } from './lab.js';
import { rampCli } from './ramp.js';
import { reportCli } from './report.js';
import { runCli } from './run.js';
import { watchCli } from './watch.js';

/**
 * Every command of the CLI, in the order `--help` lists them. Add one line per command. Each is
 * `<name>Cli` (argv → options); the work is the library's `<name>Command(options, io)`.
 */
export const COMMANDS: CommandDefinition[] = [
  initCli,
  generateCli,
  runCli,
  rampCli,
  diagnoseCli,
  exportCli,
  watchCli,
  reportCli,
  labCli,
  demoCli,
];
