#!/usr/bin/env node
import { main } from './main.js';
import { processIo } from './io.js';

// Exit explicitly: a library may leave a keep-alive socket or timer behind, and the CLI is done.
// stdout/stderr are synchronous for files, pipes and TTYs on Linux, so nothing printed is lost.
process.exit(await main(process.argv.slice(2), processIo()));
