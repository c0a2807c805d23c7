import { app } from '@azure/functions';
import { checkChannelTokens } from '../shared/channels/triggers.js';
import { appRuntime } from './runtime.js';

// Daily at 04:00 UTC (06:00 in Romania): tokens are checked before the business day.
app.timer('channel-token-health', {
  schedule: '%CHANNEL_HEALTH_SCHEDULE%',
  handler: async () => {
    await checkChannelTokens(appRuntime());
  },
});
