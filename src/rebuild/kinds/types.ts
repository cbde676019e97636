import type { ContentChange } from '../../changes';
import type { OutboundRequest } from '../http';
import type { PathPatterns } from '../payload';

export const TARGET_KINDS = ['standard', 'build-hook', 'github-dispatch', 'varnish', 'fastly', 'cloudflare'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

/** Edge caches purged by tag: coalesced over PURGE_DEBOUNCE_MS (the edge must serve a publish within a second), not the rebuild debounce. */
export const PURGE_KINDS: ReadonlySet<TargetKind> = new Set(['varnish', 'fastly', 'cloudflare']);

/** A target as the dispatcher uses it: decrypted, filters parsed. */
export interface ResolvedTarget {
  documentId: string;
  name: string;
  kind: TargetKind;
  url: string;
  /** standard: one or two whsec_ secrets (rotation); github-dispatch: the token */
  secrets: string[];
  eventType: string | null;
  pathPatterns: PathPatterns;
  /** fastly: mark purged objects stale instead of removing them */
  softPurge: boolean;
}

export interface DeliveryMessage {
  webhookId: string;
  changes: ContentChange[];
  test: boolean;
}

/** Turns one delivery into the HTTP request(s) a kind of receiver expects (a purge API takes a bounded number of tags per call). */
export type KindAdapter = (target: ResolvedTarget, message: DeliveryMessage, now: Date) => OutboundRequest | OutboundRequest[];
