import { app } from '@azure/functions';
import { createBackup } from '../shared/operations/triggers.js';
import { appRuntime } from './runtime.js';

// Nightly, after the retention purge, so a backup never holds what the purge just removed.
app.timer('nightly-backup', {
  schedule: '%BACKUP_SCHEDULE%',
  handler: async () => {
    const rt = appRuntime();
    await createBackup(rt.cosmos, rt.blob, rt.clock.now());
  },
});
