import type { CommandDefinition } from '../command.js';
import { demoCommand } from './demo.js';
import { diagnoseCommand } from './diagnose.js';
import { generateCommand } from './generate.js';
import { labCommand } from './lab.js';
import { rampCommand } from './ramp.js';
import { reportCommand } from './report.js';
import { runCommand } from './run.js';

/** Every command of the CLI, in the order `--help` lists them. Add one line per command. */
export const COMMANDS: CommandDefinition[] = [
  generateCommand,
  runCommand,
  rampCommand,
  diagnoseCommand,
  reportCommand,
  labCommand,
  demoCommand,
];
