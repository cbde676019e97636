/**
 * The dispatcher, one per process: routes outbox changes into per-target deliveries (coalescing
 * within the debounce window), sends the deliveries that are due, and records every attempt.
 *
 * Safe with N processes on one database:
 * - routing runs under a PostgreSQL advisory lock, so one process routes at a time;
 * - a delivery is claimed by a conditional update on (state, attempts), which exactly one
 *   process can win; the claim holds a lease, and a delivery whose lease ran out (its process
 *   died mid-send) is claimed again, so delivery is at-least-once.
 * Woken at once by a commit (in-process hook, PostgreSQL LISTEN), with a timer for the next due
 * delivery and polling every REBUILD_POLL_MS as a fallback.
 */
import { randomUUID } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import type { ContentChange } from '../changes';
import { listen, type Listener } from '../pg/listener';
import { send, type OutboundRequest, type SendOptions, type SendResult } from './http';
import { ADAPTERS, PURGE_KINDS } from './kinds';
import { NOTIFY_CHANNEL } from './outbox';
import { outcomeOf, type Outcome } from './retry-policy';
import { redact } from './secrets';
import type { RebuildSettings } from './settings';
import { concerns, DELIVERY_UID, OUTBOX_UID, resolveTarget, TARGET_UID, type TargetRow } from './targets';
import { LOCK_KEYS } from '../pg/lock-keys';

const ROUTE_LOCK_KEY = LOCK_KEYS.REBUILD_ROUTE;
const ROUTE_BATCH = 500;
const SEND_BATCH = 20;
const LEASE_MARGIN_MS = 30_000;
const PRUNE_EVERY_MS = 60 * 60 * 1000;
const STOP_WAIT_MS = 3_000;
const FINAL = ['delivered', 'failed', 'dead'];

export type DeliveryState = 'collecting' | 'sending' | 'retrying' | 'delivered' | 'failed' | 'dead';
export type DeliveryTrigger = 'change' | 'redeliver' | 'test';

export interface AttemptLogEntry {
  attempt: number;
  at: string;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  outcome: Outcome['status'];
}

export interface DeliveryRow {
  id: number;
  documentId: string;
  webhookId: string;
  targetDocumentId: string;
  targetName: string;
  kind: string;
  trigger: DeliveryTrigger;
  /** not `status`: the content manager shows a column by that name as draft/published */
  state: DeliveryState;
  changes: ContentChange[];
  attempts: number;
  firstChangeAt: string;
  attemptLog: AttemptLogEntry[] | null;
}

/** Drops finished deliveries (delivered, failed, dead) last changed longer ago than `retentionMs`; returns how many. */
export async function pruneDeliveries(strapi: Core.Strapi, retentionMs: number): Promise<number> {
  const { count } = await strapi.db.query(DELIVERY_UID).deleteMany({
    where: { state: { $in: FINAL }, updatedAt: { $lt: new Date(Date.now() - retentionMs) } },
  });
  return count;
}

/** Sends a delivery's requests in order; the first that fails is the attempt's result (the whole delivery is retried: purges are idempotent). */
async function sendAll(requests: OutboundRequest[], options: SendOptions): Promise<SendResult> {
  let last: SendResult = { statusCode: 204, durationMs: 0 };
  let total = 0;
  for (const request of requests) {
    last = await send(request, options);
    total += last.durationMs;
    if (last.error || !last.statusCode || last.statusCode < 200 || last.statusCode >= 300) break;
  }
  return { ...last, durationMs: total };
}

export const newWebhookId = () => `msg_${randomUUID().replace(/-/g, '')}`;

const time = (value: string | Date) => new Date(value).getTime();

export class Dispatcher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  private listener: Listener | undefined;
  private lastPrune = 0;
  /** Deliveries this process claimed and has not begun to send: released on stop. */
  private readonly claimed = new Map<number, Pick<DeliveryRow, 'id' | 'state' | 'attempts'>>();

  constructor(
    private readonly strapi: Core.Strapi,
    private readonly settings: RebuildSettings,
  ) {}

  start(): void {
    this.stopped = false;
    if (this.strapi.db.dialect.client === 'postgres') this.listenForCommits();
    this.wake();
  }

  /**
   * Stops claiming; lets the tick in progress finish its sends for up to `waitMs` (a graceful
   * shutdown gives what is left of SHUTDOWN_TIMEOUT_MS), then releases every delivery claimed but
   * not yet sent, so another process sends it at once and only once. A send cut short by the wait
   * is claimed again when its lease runs out (at-least-once, the crash case).
   */
  async stop(waitMs = STOP_WAIT_MS): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const listener = this.listener;
    this.listener = undefined;
    await listener?.stop();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.running, new Promise((resolve) => (timer = setTimeout(resolve, waitMs)))]);
    clearTimeout(timer);
    await this.releaseClaimed();
  }

  private async releaseClaimed(): Promise<void> {
    const held = [...this.claimed.values()];
    this.claimed.clear();
    for (const d of held) {
      try {
        // Back as it was before the claim, due now; only if this claim is still the row's.
        await this.strapi.db.query(DELIVERY_UID).updateMany({
          where: { id: d.id, state: 'sending', attempts: d.attempts + 1 },
          data: { state: d.state === 'sending' ? 'retrying' : d.state, attempts: d.attempts, leaseUntil: null, dueAt: new Date() },
        });
      } catch (error) {
        this.strapi.log.warn(`[rebuild] could not release delivery ${d.id}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  /** Runs a tick now, or right after the one in progress. */
  wake = (): void => {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.tick().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  };

  private async tick(): Promise<void> {
    let nextInMs = this.settings.pollMs;
    try {
      while ((await this.route()) === ROUTE_BATCH && !this.stopped);
      await this.sendDue();
      await this.prune();
      nextInMs = await this.msUntilNextDue();
    } catch (error) {
      if (!this.stopped) this.strapi.log.warn(`[rebuild] dispatcher: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!this.stopped) {
      clearTimeout(this.timer);
      this.timer = setTimeout(this.wake, Math.max(0, Math.min(nextInMs, this.settings.pollMs)));
      this.timer.unref();
    }
  }

  /** Moves outbox changes into each concerned target's collecting delivery; returns how many it moved. */
  private async route(): Promise<number> {
    const { strapi } = this;
    return (await strapi.db.transaction(async ({ trx }) => {
      if (strapi.db.dialect.client === 'postgres') {
        const locked = await trx.raw('select pg_try_advisory_xact_lock(?) as locked', [ROUTE_LOCK_KEY]);
        if (!locked.rows[0].locked) return 0; // another process is routing; it will take these too
      }
      const rows: { id: number; change: ContentChange }[] = await strapi.db
        .query(OUTBOX_UID)
        .findMany({ select: ['id', 'change'], orderBy: { id: 'asc' }, limit: ROUTE_BATCH });
      if (rows.length === 0) return 0;
      const targets: TargetRow[] = await strapi.db.query(TARGET_UID).findMany({ where: { enabled: true } });
      const now = Date.now();
      for (const target of targets) {
        const changes = rows.map((r) => r.change).filter((c) => concerns(target, c));
        if (changes.length > 0) await this.collect(target, changes, now);
      }
      await strapi.db.query(OUTBOX_UID).deleteMany({ where: { id: { $in: rows.map((r) => r.id) } } });
      return rows.length;
    })) as number;
  }

  /** Adds changes to the target's open delivery (trailing debounce, capped by the maximum wait), or opens one. */
  private async collect(target: TargetRow, changes: ContentChange[], now: number): Promise<void> {
    const { debounceMs, maxWaitMs } = PURGE_KINDS.has(target.kind) ? this.settings.purge : this.settings;
    const deliveries = this.strapi.db.query(DELIVERY_UID);
    const open: DeliveryRow | null = await deliveries.findOne({
      where: { targetDocumentId: target.documentId, state: 'collecting', trigger: 'change' },
      orderBy: { id: 'desc' },
    });
    if (open && time(open.firstChangeAt) + maxWaitMs > now) {
      const merged = [...open.changes, ...changes];
      const dueAt = new Date(Math.min(now + debounceMs, time(open.firstChangeAt) + maxWaitMs));
      const { count } = await deliveries.updateMany({
        where: { id: open.id, state: 'collecting', attempts: open.attempts },
        data: { changes: merged, changeCount: merged.length, dueAt },
      });
      if (count === 1) return;
    }
    await this.createDelivery(target, 'change', changes, new Date(now + debounceMs));
  }

  async createDelivery(target: Pick<TargetRow, 'documentId' | 'name' | 'kind'>, trigger: DeliveryTrigger, changes: ContentChange[], dueAt: Date) {
    return this.strapi.db.query(DELIVERY_UID).create({
      data: {
        webhookId: newWebhookId(),
        targetDocumentId: target.documentId,
        targetName: target.name,
        kind: target.kind,
        trigger,
        state: 'collecting',
        changes,
        changeCount: changes.length,
        attempts: 0,
        firstChangeAt: new Date(),
        dueAt,
        attemptLog: [],
      },
    });
  }

  private async sendDue(): Promise<void> {
    const now = new Date();
    const due: Pick<DeliveryRow, 'id' | 'state' | 'attempts'>[] = await this.strapi.db.query(DELIVERY_UID).findMany({
      where: {
        $or: [
          { state: { $in: ['collecting', 'retrying'] }, dueAt: { $lte: now } },
          { state: 'sending', leaseUntil: { $lte: now } },
        ],
      },
      select: ['id', 'state', 'attempts'],
      orderBy: { dueAt: 'asc' },
      limit: SEND_BATCH,
    });
    await Promise.all(due.map((d) => this.attempt(d)));
  }

  /** Claims one delivery (or finds another process has), sends it once, records the result. */
  private async attempt(seen: Pick<DeliveryRow, 'id' | 'state' | 'attempts'>): Promise<void> {
    const { strapi, settings } = this;
    const deliveries = strapi.db.query(DELIVERY_UID);
    const attempt = seen.attempts + 1;
    const { count } = await deliveries.updateMany({
      where: { id: seen.id, state: seen.state, attempts: seen.attempts },
      data: { state: 'sending', attempts: attempt, leaseUntil: new Date(Date.now() + settings.timeoutMs + LEASE_MARGIN_MS) },
    });
    if (count !== 1) return;
    this.claimed.set(seen.id, seen);
    try {
      await this.sendClaimed(seen, attempt);
    } catch (error) {
      // Its lease brings it back; a stop releases it sooner.
      if (!this.stopped) this.claimed.delete(seen.id);
      throw error;
    }
  }

  private async sendClaimed(seen: Pick<DeliveryRow, 'id' | 'state' | 'attempts'>, attempt: number): Promise<void> {
    const { strapi, settings } = this;
    const deliveries = strapi.db.query(DELIVERY_UID);
    const delivery: DeliveryRow = await deliveries.findOne({ where: { id: seen.id } });
    const targetRow: TargetRow | null = await strapi.db.query(TARGET_UID).findOne({ where: { documentId: delivery.targetDocumentId } });
    const target = targetRow && (targetRow.enabled || delivery.trigger === 'test') ? resolveTarget(strapi, targetRow, settings) : null;
    if (!target) {
      this.claimed.delete(seen.id);
      await this.record(delivery, attempt, { error: 'target is disabled or was deleted', durationMs: 0 }, { status: 'failed', disableTarget: false });
      return;
    }

    // Stopping (a drain): not begun, so released by stop() for another process to send once.
    if (this.stopped) return;
    this.claimed.delete(seen.id);
    let result: SendResult;
    try {
      const message = { webhookId: delivery.webhookId, changes: delivery.changes, test: delivery.trigger === 'test' };
      const made = ADAPTERS[target.kind](target, message, new Date());
      // A Varnish is an on-premise address by nature: an admin naming one allows it, for that target only.
      const options = { timeoutMs: settings.timeoutMs, allowPrivateTargets: settings.allowPrivateTargets || target.kind === 'varnish' };
      result = await sendAll(Array.isArray(made) ? made : [made], options);
    } catch (error) {
      // Counted as an attempt that failed without an answer, so it is retried and ends dead at worst.
      result = { error: error instanceof Error ? error.message : String(error), durationMs: 0 };
    }
    const error = result.error ? redact(result.error, [target.url, ...target.secrets]) : undefined;
    const outcome = outcomeOf(result, attempt, settings);
    await this.record(delivery, attempt, { ...result, error }, outcome);

    if (outcome.status === 'failed' && outcome.disableTarget) {
      await strapi.db.query(TARGET_UID).update({
        where: { id: targetRow!.id },
        data: { enabled: false, disabledReason: `The receiver answered 410 Gone on ${new Date().toISOString()}` },
      });
    }
    const detail = result.statusCode ?? error;
    const next = outcome.status === 'retrying' ? `, next attempt in ${Math.round(outcome.delayMs / 1000)} s` : '';
    const level = outcome.status === 'delivered' ? 'info' : 'warn';
    strapi.log[level](`[rebuild] ${delivery.webhookId} to "${target.name}" (${target.kind}): ${detail}, ${outcome.status}${next} (attempt ${attempt}/${settings.maxAttempts})`);
  }

  private async record(
    delivery: DeliveryRow,
    attempt: number,
    result: { statusCode?: number; error?: string; durationMs: number },
    outcome: Outcome,
  ): Promise<void> {
    const entry: AttemptLogEntry = {
      attempt,
      at: new Date().toISOString(),
      statusCode: result.statusCode ?? null,
      durationMs: result.durationMs,
      error: result.error?.slice(0, 500) ?? null,
      outcome: outcome.status,
    };
    await this.strapi.db.query(DELIVERY_UID).updateMany({
      // Only if this process still holds the claim (its lease did not run out meanwhile).
      where: { id: delivery.id, state: 'sending', attempts: attempt },
      data: {
        state: outcome.status,
        attemptLog: [...(delivery.attemptLog ?? []), entry],
        lastStatusCode: entry.statusCode,
        lastError: entry.error,
        lastDurationMs: entry.durationMs,
        leaseUntil: null,
        ...(outcome.status === 'retrying' ? { dueAt: new Date(Date.now() + outcome.delayMs) } : {}),
        ...(outcome.status === 'delivered' ? { deliveredAt: new Date() } : {}),
      },
    });
  }

  private async msUntilNextDue(): Promise<number> {
    const next: { dueAt: string } | null = await this.strapi.db.query(DELIVERY_UID).findOne({
      where: { state: { $in: ['collecting', 'retrying'] } },
      select: ['dueAt'],
      orderBy: { dueAt: 'asc' },
    });
    return next ? time(next.dueAt) - Date.now() : this.settings.pollMs;
  }

  /** At most hourly per process (running it twice is harmless). */
  private async prune(): Promise<void> {
    if (Date.now() - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = Date.now();
    await pruneDeliveries(this.strapi, this.settings.retentionMs);
  }

  /** PostgreSQL: wake on every commit that wrote to the outbox, from any process. */
  private listenForCommits(): void {
    this.listener = listen(this.strapi, NOTIFY_CHANNEL, () => this.wake(), { retryMs: this.settings.pollMs, onConnected: this.wake });
  }
}
