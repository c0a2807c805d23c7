import { policyTable } from '../shared/privacy/policy.js';

/** `npm run policy`: the retention table, as people read it. */
process.stdout.write(`${policyTable()}\n`);
