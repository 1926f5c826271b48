/**
 * `plinth portal [--port N] [--repo DIR] [--host ADDR] [--context NAME]`: the
 * developer portal beside the GitOps repository's local clone. Prints the
 * login token at start; runs until interrupted.
 */
import { connectCluster } from '../../cluster/index.js';
import { desiredState } from '../../desired/index.js';
import { PlinthError, UsageError } from '../../lib/errors.js';
import { OidcLogin } from '../../portal/oidc.js';
import { clusterHealth } from '../../portal/health.js';
import type { HealthView } from '../../portal/pages.js';
import { startPortal } from '../../portal/server.js';
import type { CommandSpec } from '../command.js';
import { authorOf, goldenContext, REPO_FLAGS } from './golden-session.js';

export const portalCommand: CommandSpec = {
  name: 'portal',
  summary: 'the developer portal: overview, catalog, golden-path scaffolder, failure scenarios, compliance (127.0.0.1, login token)',
  usage: 'plinth portal [--port N] [--host ADDR] [--repo DIR] [--config FILE] [--context NAME] [--author "Name <email>"]',
  options: {
    port: { type: 'string', description: 'port to listen on (default 7420; 0 picks a free one)' },
    host: { type: 'string', description: 'address to bind (default 127.0.0.1; anything else exposes the portal to the network)' },
    ...REPO_FLAGS,
    context: { type: 'string', description: 'kubeconfig context to read sync and health from (default: none, desired state only)' },
    kubeconfig: { type: 'string', description: 'kubeconfig file (with --context)' },
    author: { type: 'string', description: 'author of the commits made through a token login "Name <email>" (default: the clone\'s git user)' },
    'oidc-issuer': { type: 'string', description: 'sign in with this OpenID Connect provider instead of a token (the client secret, if any, from PLINTH_OIDC_CLIENT_SECRET)' },
    'oidc-client-id': { type: 'string', description: 'the portal\'s client id at the OIDC provider (redirect URI: <portal URL>/login/callback)' },
  },
  async run(io, args) {
    const portText = (args.values.port as string | undefined) ?? '7420';
    if (!/^\d+$/.test(portText) || Number(portText) > 65535) throw new UsageError(`--port: got ${JSON.stringify(portText)}; expected a port number 0..65535`);
    const host = (args.values.host as string | undefined) ?? '127.0.0.1';
    if (!/^[0-9a-fA-F.:]+$|^localhost$/.test(host)) throw new UsageError(`--host: got ${JSON.stringify(host)}; expected an IP address to bind`);
    const { ctx, loaded } = await goldenContext(io, args);
    const user = await authorOf(ctx.repo, args.values.author as string | undefined);
    const context = args.values.context as string | undefined;
    const health = context !== undefined || args.values.kubeconfig !== undefined
      ? (): Promise<HealthView> => clusterHealth(desiredState(loaded), connectCluster({ file: args.values.kubeconfig as string | undefined, context, env: io.env, cwd: io.cwd }))
      : undefined;
    const issuer = args.values['oidc-issuer'] as string | undefined;
    const clientId = args.values['oidc-client-id'] as string | undefined;
    if ((issuer === undefined) !== (clientId === undefined)) throw new UsageError('--oidc-issuer and --oidc-client-id go together');
    if (issuer !== undefined && !/^https:\/\/|^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(issuer)) throw new UsageError(`--oidc-issuer: got ${JSON.stringify(issuer)}; expected an https:// URL`);
    const oidc = issuer !== undefined ? await OidcLogin.discover({ issuer, clientId: clientId!, ...(io.env.PLINTH_OIDC_CLIENT_SECRET ? { clientSecret: io.env.PLINTH_OIDC_CLIENT_SECRET } : {}) }).catch((e: unknown) => {
      throw new PlinthError((e as Error).message);
    }) : undefined;
    const portal = await startPortal({ loaded, golden: ctx, user, host, port: Number(portText), ...(health ? { health } : {}), ...(oidc ? { oidc } : {}) });
    if (host !== '127.0.0.1' && host !== '::1' && host !== 'localhost') io.stderr.write(`warning: listening on ${host}: anyone who can reach it and has the token can commit to ${ctx.repo.dir}\n`);
    io.stdout.write(`Plinth portal on ${portal.url} (repository ${ctx.repo.dir}, base ${ctx.base}; commits authored by ${oidc ? 'the signed-in user' : `${user.name} <${user.email}>`})\n${portal.token ? `Login token: ${portal.token}` : `Login: ${issuer} (OpenID Connect)`}\nStop with Ctrl-C.\n`);
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await portal.close();
    return 0;
  },
};
