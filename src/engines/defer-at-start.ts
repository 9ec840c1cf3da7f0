/**
 * Imported first by the CLI's entry (cli/bin.ts) and by each step worker (ramp/workers/step-worker.ts):
 * ES modules evaluate in import order, so the stand-ins of deferred-modules.ts are in place before
 * our own imports load postman-collection (and with it faker). newman's runs put the rest in place
 * when newman first loads on a thread (engines/newman.ts).
 */
import { DEFERRED_MODULES, deferUnusedModules } from './deferred-modules.js';

// Only what loads before newman does: each resolution costs ~0.5 ms, and most commands never load newman.
deferUnusedModules(DEFERRED_MODULES.filter((deferral) => deferral.package === 'postman-collection'));
