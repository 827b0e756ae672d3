// A real OpenID Connect provider (the npm package oidc-provider) for the test suites, on 127.0.0.1 only.
//
// Usage: node server.mjs <state.json>
// The state file holds {"clients": [...], "users": {"<login>": {sub, email, name, amr, acr, disabled}}}; users are
// read again on every look-up, so a test disables a user by rewriting the file. Once listening the server prints
// one line, `listening http://127.0.0.1:<port>`, and it stops when its standard input closes.
import { readFileSync } from 'node:fs';
import http from 'node:http';

import Provider from 'oidc-provider';

const statePath = process.argv[2];
const readState = () => JSON.parse(readFileSync(statePath, 'utf8'));
const ttl = Number(process.env.OIDC_TEST_TOKEN_TTL || 600);

function userBySub(sub) {
  return Object.values(readState().users).find((user) => user.sub === sub);
}

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title, body) {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title></head>`
    + `<body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;
}

async function readForm(req) {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  return Object.fromEntries(new URLSearchParams(raw));
}

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: readState().clients,
    cookies: { keys: ['test-provider-cookie-key'] },
    // acr, amr and auth_time in every ID token, as Keycloak and Entra ID do (oidc-provider only on request)
    claims: { acr: null, amr: null, auth_time: null, sid: null, iss: null, openid: ['sub', 'acr', 'amr', 'auth_time'], email: ['email', 'email_verified'], profile: ['name'] },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          ctx.body = page('Sign out', `${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">`
            + 'Yes, sign me out</button>');
        },
        postLogoutSuccessSource: async (ctx) => { ctx.body = page('Signed out', ''); },
      },
    },
    ttl: { AccessToken: ttl, IdToken: ttl, Session: 3600, Interaction: 600, Grant: 3600, RefreshToken: 3600 },
    // like most organisations' providers (Keycloak, Entra ID with offline_access), give a refresh token
    issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
    // the organisation's own application: no consent screen
    loadExistingGrant: async (ctx) => {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid email profile offline_access');
      await grant.save();
      return grant;
    },
    findAccount: async (ctx, sub) => {
      const user = userBySub(sub);
      if (!user || user.disabled) return undefined;
      return {
        accountId: sub,
        claims: async () => ({ sub, email: user.email, email_verified: user.email_verified ?? true, name: user.name }),
      };
    },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    pkce: { required: () => true },
    renderError: async (ctx, out) => { ctx.type = 'html'; ctx.body = page('Error', `<p>${escape(out.error)}: ${escape(out.error_description || '')}</p>`); },
  });
  provider.proxy = false;
  const callback = provider.callback();

  server.on('request', async (req, res) => {
    if (req.url === '/static/axe/axe.min.js') {
      // the browser suite checks every page it visits with axe, this provider's pages too
      res.setHeader('Content-Type', 'text/javascript');
      res.end(readFileSync(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url)));
      return undefined;
    }
    const match = req.url.match(/^\/interaction\/([^/?]+)(\/login)?/);
    if (!match) return callback(req, res);
    try {
      const details = await provider.interactionDetails(req, res);
      if (req.method === 'GET') {
        res.setHeader('Content-Type', 'text/html; charset=utf-8');
        res.end(page('Sign in at the organisation', `<form method="post" action="/interaction/${escape(details.uid)}/login">`
          + '<label for="login">Login</label><input id="login" name="login" autocomplete="username">'
          + '<button type="submit">Sign in</button></form>'));
        return undefined;
      }
      const form = await readForm(req);
      const user = readState().users[form.login];
      const result = (!user || user.disabled)
        ? { error: 'access_denied', error_description: 'this account is unknown or disabled' }
        : { login: { accountId: user.sub, amr: user.amr || ['pwd'], acr: user.acr || 'urn:test:loa:low' } };
      return provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
    } catch (error) {
      res.statusCode = 400;
      res.end(String(error));
      return undefined;
    }
  });
  process.stdout.write(`listening ${issuer}\n`);
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
