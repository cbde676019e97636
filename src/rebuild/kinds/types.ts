import type { ContentChange } from '../../changes';
import type { OutboundRequest } from '../http';
import type { PathPatterns } from '../payload';

export const TARGET_KINDS = ['standard', 'build-hook', 'github-dispatch'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

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
}

export interface DeliveryMessage {
  webhookId: string;
  changes: ContentChange[];
  test: boolean;
}

/** Turns one delivery into the HTTP request a kind of receiver expects. */
export type KindAdapter = (target: ResolvedTarget, message: DeliveryMessage, now: Date) => OutboundRequest;
