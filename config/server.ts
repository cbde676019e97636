import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { appRoot, loadEnv } from '../src/env';

export default (): Core.Config.Server => {
  const env = loadEnv();
  return {
    host: env.HOST,
    port: env.PORT,
    ...(env.PUBLIC_URL ? { url: env.PUBLIC_URL } : {}),
    app: { keys: env.APP_KEYS },
    dirs: { public: path.resolve(appRoot, env.PUBLIC_DIR) },
    // Behind a load balancer: trust X-Forwarded-* so URLs and client IPs are right. Off by default,
    // since trusting them without a proxy in front lets clients forge their IP.
    // Behind TRUST_PROXY, the client IP is the X-Forwarded-For entry the nearest TRUST_PROXY_HOPS
    // proxies added (the rightmost ones), never one the client wrote itself.
    proxy: { koa: env.TRUST_PROXY, maxIpsCount: env.TRUST_PROXY ? env.TRUST_PROXY_HOPS : 0 },
    logger: { updates: { enabled: false }, config: { level: env.LOG_LEVEL } },
  };
};
