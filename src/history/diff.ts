/**
 * Field-by-field comparison of two versions (or a version and the current draft): each field is
 * unchanged, changed, added (empty before) or removed (empty after); text as word-level
 * insertions and deletions (the `diff` package, 500 ms for all fields at most) over what the editor reads (blocks and sections
 * rendered to text); relations as the labels added and removed. Fields only one side's schema
 * knows are reported as such, never dropped silently.
 */
import { diffWords, type ChangeObject } from 'diff';
import { asList, type Content, type FieldKinds, type Linked } from './snapshot';
import { valueText } from './text';

export interface WordPart {
  value: string;
  added?: true;
  removed?: true;
}

export interface FieldDiff {
  field: string;
  kind: string;
  change: 'unchanged' | 'changed' | 'added' | 'removed';
  /** the words, in order, each kept, inserted or deleted (text, blocks, components) */
  words?: WordPart[];
  /** relations: the labels linked and unlinked */
  linked?: string[];
  unlinked?: string[];
  before?: unknown;
  after?: unknown;
  /** set when only one side's schema has the field */
  schema?: 'only-before' | 'only-after';
}

/**
 * Bounds the word diffs of one comparison, all fields together: past it, a field's two texts are
 * shown as one deletion and one insertion (a diff holds the event loop while it runs).
 */
const DIFF_BUDGET_MS = 500;

const isEmpty = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);


export function wordDiff(before: string, after: string, timeoutMs = DIFF_BUDGET_MS): WordPart[] {
  const parts: ChangeObject<string>[] | undefined = timeoutMs > 0 ? diffWords(before, after, { timeout: timeoutMs }) : undefined;
  if (!parts) {
    return [
      ...(before ? [{ value: before, removed: true as const }] : []),
      ...(after ? [{ value: after, added: true as const }] : []),
    ];
  }
  return parts.map((p) => ({ value: p.value, ...(p.added ? { added: true as const } : {}), ...(p.removed ? { removed: true as const } : {}) }));
}

function fieldDiff(field: string, kind: string, before: unknown, after: unknown, deadline: number): FieldDiff {
  const change: FieldDiff['change'] = same(before, after) ? 'unchanged' : isEmpty(before) ? 'added' : isEmpty(after) ? 'removed' : 'changed';
  const out: FieldDiff = { field, kind, change };
  if (change === 'unchanged') return out;
  if (kind.startsWith('relation:') || kind.startsWith('media')) {
    const was = asList(before);
    const now = asList(after);
    const key = (l: Linked) => String(l.documentId ?? l.id);
    const label = (l: Linked) => String(l.label ?? l.name ?? key(l));
    out.linked = now.filter((l) => !was.some((w) => key(w) === key(l))).map(label);
    out.unlinked = was.filter((w) => !now.some((l) => key(w) === key(l))).map(label);
    return out;
  }
  const textual = ['string', 'text', 'richtext', 'uid', 'email', 'blocks'].includes(kind) || kind.startsWith('component:');
  if (textual) out.words = wordDiff(valueText(before, kind), valueText(after, kind), deadline - Date.now());
  else Object.assign(out, { before: before ?? null, after: after ?? null });
  return out;
}

/** Every field of either side, in the newer schema's order, then the fields only the older has. */
export function diffContents(before: { content: Content; kinds: FieldKinds }, after: { content: Content; kinds: FieldKinds }): FieldDiff[] {
  const fields = [...Object.keys(after.kinds), ...Object.keys(before.kinds).filter((f) => !Object.hasOwn(after.kinds, f))];
  const deadline = Date.now() + DIFF_BUDGET_MS;
  return fields.map((field) => {
    const inBefore = Object.hasOwn(before.kinds, field);
    const inAfter = Object.hasOwn(after.kinds, field);
    const diff = fieldDiff(field, after.kinds[field] ?? before.kinds[field], inBefore ? before.content[field] : undefined, inAfter ? after.content[field] : undefined, deadline);
    if (!inBefore) diff.schema = 'only-after';
    else if (!inAfter) diff.schema = 'only-before';
    return diff;
  });
}
