#!/usr/bin/env node
// First: the stand-ins for modules a command may never use go in before anything loads them.
import '../engines/defer-at-start.js';
import { main } from './main.js';
import { processIo } from './io.js';

// Exit explicitly: a library may leave a keep-alive socket or timer behind, and the CLI is done.
// stdout/stderr are synchronous for files, pipes and TTYs on Linux, so nothing printed is lost.
process.exit(await main(process.argv.slice(2), processIo()));
