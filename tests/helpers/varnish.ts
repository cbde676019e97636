/**
 * A real Varnish (Debian's varnishd 7.1 with varnish-modules' xkey, installed by .ci/run) in front
 * of test servers, running deploy/varnish/newsroom.vcl unchanged with the test's own backends.vcl
 * (scripts/varnish.js, shared with the edge benchmark).
 */
export interface Varnish {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface VarnishOptions {
  port: number;
  backends: Array<{ host: string; port: number }>;
  /** addresses allowed to purge; 127.0.0.1 by default */
  purgers?: string[];
  /** probe the backends on /api/health (as the example does); off, every backend is always healthy */
  probe?: boolean;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- plain-JS module shared with scripts/
const shared = require('../../scripts/varnish') as { startVarnish(options: VarnishOptions): Promise<Varnish> };

export const startVarnish = (options: VarnishOptions): Promise<Varnish> => shared.startVarnish(options);
