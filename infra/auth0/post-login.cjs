/**
 * Auth0 post-login Action (trigger: post-login, runtime Node 22).
 *
 * Puts the person's Aliat tenant and role into the access token for the Aliat API, as the namespaced
 * claims the API reads. The membership lives in our database (sign-up and accepted invitations write
 * it), so the Action asks our API at every login instead of copying it to app_metadata, with no second
 * copy to keep in step. The claims only say where to look: the API checks every call against the
 * membership, so a role change or a removal holds at once, not at the next login.
 *
 * Secrets (Actions → this Action → Secrets):
 *   ALIAT_API_BASE       e.g. https://func-aliat-prod.azurewebsites.net
 *   ALIAT_ACTION_SECRET  the app setting AUTH_ACTION_SECRET (a Key Vault secret)
 * Aliat staff hold the Auth0 role "aliat-staff": they get role "staff" and no tenant.
 *
 * The local token issuer (local/stand-ins/auth-issuer.ts) runs this very file, so local logins behave
 * exactly as Auth0 logins do.
 */
const NAMESPACE = 'https://aliat.app/';

exports.onExecutePostLogin = async (event, api) => {
  const roles = event.authorization?.roles || [];
  // Only a verified address may be matched against invitations.
  if (event.user.email && event.user.email_verified) api.accessToken.setCustomClaim('email', event.user.email);
  if (roles.includes('aliat-staff')) {
    api.accessToken.setCustomClaim(`${NAMESPACE}role`, 'staff');
    return;
  }
  let claims;
  try {
    const response = await fetch(new URL('/api/auth/claims', event.secrets.ALIAT_API_BASE), {
      method: 'POST',
      headers: { authorization: `Bearer ${event.secrets.ALIAT_ACTION_SECRET}`, 'content-type': 'application/json' },
      body: JSON.stringify({ sub: event.user.user_id }),
      signal: AbortSignal.timeout(5000),
    });
    if (!response.ok) throw new Error(`claims answered ${response.status}`);
    claims = await response.json();
  } catch {
    // A token without claims would look like a person who never signed up; refuse the login instead.
    api.access.deny('Aliat could not load your account. Please try again in a minute.');
    return;
  }
  if (claims.tenantId && claims.role) {
    api.accessToken.setCustomClaim(`${NAMESPACE}tenant_id`, claims.tenantId);
    api.accessToken.setCustomClaim(`${NAMESPACE}role`, claims.role);
  }
};
