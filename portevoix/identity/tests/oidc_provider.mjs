// A real OpenID provider for the tests: oidc-provider (npm, OpenID-certified) on 127.0.0.1.
//
// Configuration comes as JSON in OIDC_TEST_CONFIG: {"clients": [...], "accounts": {sub: {...}}}.
// Each account has a password checked by the sign-in page below (oidc-provider leaves the
// interaction pages to its deployer); consent is granted at once, as an enterprise directory
// does once its admin has consented for the organisation.
//
// The harness can also play a man in the middle of the next token response, to show that the
// relying party refuses what a compromised or confused provider might send:
// POST /_harness/tamper {"aud": "...", "nonce": "...", "exp_offset": -3600, "rogue_key": true}.
// The ready line on stdout is: OIDC-READY <issuer>
import http from 'node:http';
import Provider from 'oidc-provider';
import * as jose from 'jose';

const config = JSON.parse(process.env.OIDC_TEST_CONFIG || '{}');
const accounts = config.accounts || {};
let tamper = null;

const signing = await jose.generateKeyPair('RS256', { extractable: true });
const rogue = await jose.generateKeyPair('RS256', { extractable: true });
const signingJwk = { ...(await jose.exportJWK(signing.privateKey)), kid: 'k1', alg: 'RS256', use: 'sig' };

const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: config.clients || [],
  jwks: { keys: [signingJwk] },
  cookies: { keys: ['portevoix-tests-only'] },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'department'],
  },
  features: { devInteractions: { enabled: false } },
  pkce: { required: () => true },
  async findAccount(ctx, sub) {
    const account = accounts[sub];
    if (!account) return undefined;
    return {
      accountId: sub,
      async claims() {
        const { password, ...claims } = account;
        return { sub, ...claims };
      },
    };
  },
});

function readBody(req) {
  return new Promise((resolve, reject) => {
    let data = '';
    req.on('data', (chunk) => { data += chunk; });
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function signInPage(res, uid, email, error) {
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.end(`<!doctype html><html lang="en"><head><title>Company sign-in</title></head><body>
<h1>Company sign-in</h1>${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/interaction/${uid}">
<label>E-mail <input name="email" value="${escapeHtml(email || '')}"></label>
<label>Password <input type="password" name="password"></label>
<button type="submit">Sign in</button></form></body></html>`);
}

async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  const { uid, prompt, params } = details;
  if (prompt.name === 'login') {
    if (req.method !== 'POST') return signInPage(res, uid, params.login_hint);
    const form = new URLSearchParams(await readBody(req));
    const found = Object.entries(accounts).find(([, a]) => a.email === form.get('email'));
    if (!found || found[1].password !== form.get('password')) {
      return signInPage(res, uid, form.get('email'), 'Wrong e-mail or password.');
    }
    return provider.interactionFinished(req, res, { login: { accountId: found[0] } }, { mergeWithLastSubmission: false });
  }
  const grant = new provider.Grant({ accountId: details.session.accountId, clientId: params.client_id });
  const missing = prompt.details;
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  const grantId = await grant.save();
  return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

async function tampered(idToken, change) {
  const claims = jose.decodeJwt(idToken);
  if (change.aud !== undefined) claims.aud = change.aud;
  if (change.nonce !== undefined) claims.nonce = change.nonce;
  if (change.exp_offset !== undefined) {
    const now = Math.floor(Date.now() / 1000);
    claims.exp = now + change.exp_offset;
    claims.iat = Math.min(claims.iat, claims.exp - 60);
  }
  const key = change.rogue_key ? rogue.privateKey : signing.privateKey;
  return new jose.SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(key);
}

provider.use(async (ctx, next) => {
  await next();
  if (ctx.path === '/token' && ctx.status === 200 && tamper && ctx.body && ctx.body.id_token) {
    const change = tamper;
    tamper = null;
    ctx.body = { ...ctx.body, id_token: await tampered(ctx.body.id_token, change) };
  }
});

const callback = provider.callback();
server.on('request', async (req, res) => {
  try {
    const path = new URL(req.url, issuer).pathname;
    if (path === '/_harness/tamper' && req.method === 'POST') {
      tamper = JSON.parse(await readBody(req));
      res.end('ok');
      return;
    }
    if (path.startsWith('/interaction/')) {
      await interaction(req, res);
      return;
    }
    callback(req, res);
  } catch (error) {
    res.statusCode = 500;
    res.end(String(error));
  }
});

process.on('SIGTERM', () => server.close(() => process.exit(0)));
console.log(`OIDC-READY ${issuer}`);
