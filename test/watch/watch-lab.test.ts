import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { diagnose } from '../../src/diagnose/index.js';
import { findNginx } from '../../src/lab/nginx.js';
import { startLab } from '../../src/lab/lab.js';
import { tempDir, writeCollection, writeEnvironment } from '../diagnose/helpers/files.js';

const dir = tempDir('debug502-watch-lab-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const gateway = findNginx() ? 'nginx' : 'builtin';
if (gateway === 'builtin') console.log('watch lab test: nginx is not installed, using the built-in gateway (it pools and retries like nginx)');

describe(`lab --fault keepalive-race + watch + diagnose (${gateway})`, () => {
  it('watch shows gateway-only 502s at low load, and diagnose names the keep-alive race', async () => {
    const lab = await startLab({ gateway, fault: { kind: 'keepalive-race', idleMs: 300 } });
    try {
      const env = writeEnvironment(dir, lab.gateway.url, lab.backend.url, 'race');
      const collection = writeCollection(dir, ['/api/users'], '/health');
      const io = captureIo({ cwd: dir });
      const code = await main(['watch', '--environment', env, '--collection', collection, '--rate', '6/s', '--duration', '8s', '--window', '1s', '--seed', '13', '--report-dir', 'reports'], io);
      const out = io.out.join('');
      expect(code).toBe(1);
      const report = JSON.parse(readFileSync(join(dir, 'reports', 'watch.json'), 'utf8'));
      expect(report.targets.gateway.count502).toBeGreaterThan(0);
      expect(report.targets.gateway.requests).toBe(report.targets.backend.requests);
      expect(report.targets.backend.failures).toBe(0);
      expect(report.verdict.gatewayOnly).toBe(true);
      expect(report.verdict.code).not.toBe('none');
      expect(report.timeline.length).toBe(8);
      expect(out).toMatch(/verdict: (steady-background|burst)/);
      for (const f of ['watch.html', 'watch.md', 'watch.junit.xml']) expect(existsSync(join(dir, 'reports', f))).toBe(true);
      expect(readFileSync(join(dir, 'reports', 'watch.junit.xml'), 'utf8')).toMatch(/<failure type="(steady-background|burst)"/);
      // The page names the collection, as the ramp's does.
      expect(report.meta.collectionName).toBe('502 Debugging');
      const html = readFileSync(join(dir, 'reports', 'watch.html'), 'utf8');
      expect(html).toMatch(/<title>Watch report: 502 Debugging — (steady-background|burst)<\/title>/);
      expect(html).toMatch(/<h1 title="[^"]*">502 Debugging<\/h1>/);

      const found = await diagnose({
        environmentFile: env, collectionFile: collection, logs: [lab.gateway.errorLogPath!],
        ...(lab.gateway.configPath ? { nginxConfFile: lab.gateway.configPath } : { gatewayIdleTimeoutMs: 60_000 }),
        connectTimeoutMs: 1000, requestTimeoutMs: 2000,
      });
      expect(found.findings[0].code).toBe('keepalive-race');
      expect(found.findings[0].confidence).toBe('high');
      expect(found.findings[0].measured!.backendIdleTimeoutMs).toBeLessThan(found.findings[0].measured!.gatewayIdleTimeoutMs!);
      // Every gateway 502 of the watch is a line; diagnose's own gateway probe may add one (it can meet the race too).
      expect(found.log!.causes['backend-closed-connection']!.count).toBeGreaterThanOrEqual(report.targets.gateway.count502);
    } finally {
      await lab.close();
    }
  }, 60_000);
});
