/**
 * Versions' values as the text an editor reads, for word diffs: Strapi blocks as paragraphs
 * (lists as "- " lines, headings and quotes as their text), a repeatable component as one block
 * per item (a section: its heading, then its body).
 */
type Node = { type?: string; text?: string; children?: Node[]; format?: string; level?: number };

const inline = (nodes: Node[] | undefined): string =>
  (nodes ?? []).map((n) => (typeof n.text === 'string' ? n.text : inline(n.children))).join('');

function block(node: Node): string {
  switch (node.type) {
    case 'list':
      return (node.children ?? []).map((item) => `- ${inline(item.children)}`).join('\n');
    case 'image':
      return '';
    default:
      return inline(node.children);
  }
}

/** Strapi blocks as plain text, one paragraph per block. */
export function blocksText(value: unknown): string {
  if (!Array.isArray(value)) return typeof value === 'string' ? value : '';
  return (value as Node[]).map(block).filter(Boolean).join('\n\n');
}

/** Any stored value as text: strings as they are, blocks and components rendered, the rest as JSON. */
export function valueText(value: unknown, kind: string): string {
  if (value === null || value === undefined) return '';
  if (kind === 'blocks') return blocksText(value);
  if (kind.startsWith('component:')) {
    const items = Array.isArray(value) ? value : [value];
    return items
      .map((item) =>
        Object.values((item ?? {}) as Record<string, unknown>)
          .map((v) => (Array.isArray(v) ? blocksText(v) : v === null || v === undefined ? '' : String(v)))
          .filter(Boolean)
          .join('\n\n'),
      )
      .join('\n\n');
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}
