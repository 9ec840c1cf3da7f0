/**
 * newman runs a collection's scripts in one vm context per run (postman-sandbox), and V8 frees a
 * finished run's context only after several full collections — which a process with gigabytes of
 * heap headroom keeps postponing. A ramp starts one newman run per virtual user and step, so the
 * contexts of finished steps piled up: a newman ramp to concurrency 16 peaked at 1.1 GB RSS while
 * its live set stayed near 200 MB. Full collections between steps return that memory.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** A context is freed by about the third full collection after its run ended (measured in bench/sections/memory.mjs). */
const COLLECTIONS = 3;

let collect: (() => void) | undefined;

/** Frees what finished newman runs left behind; call it between steps, when no run is in flight. */
export function releaseFinishedSandboxes(): void {
  if (!collect) {
    // --expose-gc set at run time: the flag makes the next new context carry `gc`.
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  for (let i = 0; i < COLLECTIONS; i++) collect();
}
