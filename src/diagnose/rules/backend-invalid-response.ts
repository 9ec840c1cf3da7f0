import { makeCauseRule } from './cause-rule.js';

/** The backend sends a malformed status line or header: direct HPE_* errors, "upstream sent invalid header". */
export const backendInvalidResponse = makeCauseRule({
  code: 'backend-invalid-response',
  logWhat: '"upstream sent invalid header / no valid HTTP header"',
  next: 'Fix the backend\'s response: call it directly (curl -v <backend_url><path>) and correct the malformed status line or header it sends — usually a bug in the application or a hand-built header.',
});
