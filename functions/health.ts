import { app } from '@azure/functions';
import { healthHandler } from '../shared/health/triggers.js';
import { httpFunction } from '../shared/platform/http.js';
import { appRuntime } from './runtime.js';

app.http('health', {
  route: 'health',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: httpFunction((request) => healthHandler(appRuntime(), request)),
});
