import { app } from '@azure/functions';
import { claimsHandler } from '../shared/accounts/triggers.js';
import { httpFunction } from '../shared/platform/http.js';
import { appRuntime } from './runtime.js';

// Called by the Auth0 post-login Action (infra/auth0/post-login.cjs) with a shared secret; never by browsers.
app.http('auth-claims', {
  route: 'auth/claims',
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: httpFunction((request) => claimsHandler(appRuntime(), request)),
});
