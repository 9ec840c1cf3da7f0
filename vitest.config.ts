import { defineConfig } from 'vitest/config';

/**
 * Test files whose verdicts depend on the client keeping its load: breaking points found on the lab,
 * in-flight averages, offered rates. Starved of CPU by other test files running beside them, their
 * load generator falls behind and the step is underdriven (repeated, or inconclusive) — so they run
 * on their own, one file at a time, after everything else.
 */
const LOAD_SENSITIVE = [
  // Opt-in (DEBUG502_PACK_TEST=1, .ci/run): npm install + the demo, which would starve its neighbours.
  'test/ci/packed-install.test.ts',
  'test/demo/demo.test.ts',
  'test/engines/fast.test.ts',
  'test/export/distributed.test.ts',
  'test/export/real-world.test.ts',
  'test/postman/v3-commands.test.ts',
  'test/ramp/avg-in-flight.test.ts',
  'test/ramp/capacity.test.ts',
  'test/ramp/fast-engine.test.ts',
  'test/ramp/lab-verdicts.test.ts',
  'test/ramp/rate-ramp.test.ts',
  'test/ramp/worker-pool.test.ts',
  'test/watch/watch-lab.test.ts',
];

const shared = {
  // Integration tests start real nginx, newman and sockets: forks isolate them.
  pool: 'forks' as const,
  testTimeout: 60_000,
  hookTimeout: 30_000,
};

export default defineConfig({
  test: {
    reporters: ['default'],
    projects: [
      {
        test: {
          ...shared,
          name: 'parallel',
          include: ['test/**/*.test.ts'],
          exclude: LOAD_SENSITIVE,
          // Most files wait on sockets, nginx and newman more than they compute: two cores run three.
          maxWorkers: 3,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          ...shared,
          name: 'load-sensitive',
          include: LOAD_SENSITIVE,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
