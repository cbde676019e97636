/**
 * The in-memory read cache: answers as the full stack produced them (status, headers, body),
 * tagged with what they show, evicted by tag the moment a change commits, by age (TTL) and by
 * size (least recently used first, within a byte budget). A generation counter keeps a request
 * that was running while a change committed from storing what it read before the change.
 */
export interface CachedAnswer {
  status: number;
  /** flat [name, value, …], as `writeHead` takes them */
  headers: string[];
  /** the same without what a 304 leaves out (content-type, content-length) */
  headersOn304: string[];
  body: Buffer;
  etag: string | undefined;
  tags: string[];
  expires: number;
}

export class ReadCache {
  private readonly entries = new Map<string, CachedAnswer>();
  private readonly byTag = new Map<string, Set<string>>();
  private bytes = 0;
  generation = 0;

  constructor(
    readonly maxBytes: number,
    readonly ttlMs: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get usedBytes(): number {
    return this.bytes;
  }

  get(key: string, now = Date.now()): CachedAnswer | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires <= now) {
      this.delete(key);
      return undefined;
    }
    // Most recently used last.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  /** Stores an answer unless a change committed since the request began (its `generation`). */
  set(key: string, answer: Omit<CachedAnswer, 'expires'>, generation: number, now = Date.now()): boolean {
    if (generation !== this.generation || answer.body.length > this.maxBytes / 4) return false;
    this.delete(key);
    const entry = { ...answer, expires: now + this.ttlMs };
    this.entries.set(key, entry);
    this.bytes += entry.body.length;
    for (const tag of entry.tags) {
      let keys = this.byTag.get(tag);
      if (!keys) this.byTag.set(tag, (keys = new Set()));
      keys.add(key);
    }
    for (const oldest of this.entries.keys()) {
      if (this.bytes <= this.maxBytes) break;
      this.delete(oldest);
    }
    return true;
  }

  /** Evicts every answer carrying one of `tags` ('*': all). */
  invalidate(tags: readonly string[] | '*'): number {
    this.generation += 1;
    if (tags === '*') {
      const n = this.entries.size;
      this.entries.clear();
      this.byTag.clear();
      this.bytes = 0;
      return n;
    }
    let evicted = 0;
    for (const tag of tags) {
      for (const key of [...(this.byTag.get(tag) ?? [])]) {
        if (this.delete(key)) evicted += 1;
      }
    }
    return evicted;
  }

  private delete(key: string): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    this.entries.delete(key);
    this.bytes -= entry.body.length;
    for (const tag of entry.tags) {
      const keys = this.byTag.get(tag);
      keys?.delete(key);
      if (keys && keys.size === 0) this.byTag.delete(tag);
    }
    return true;
  }
}
