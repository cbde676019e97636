import { diffContents, wordDiff } from '../../../src/history/diff';
import { blocksText, valueText } from '../../../src/history/text';

const paragraph = (text: string) => ({ type: 'paragraph', children: [{ type: 'text', text }] });

describe('word diffs', () => {
  it('marks the words deleted and inserted, and keeps the rest in order', () => {
    const parts = wordDiff('The envoy warned allies.', 'The envoy cautioned allies.');
    expect(parts.filter((p) => p.removed).map((p) => p.value)).toEqual(['warned']);
    expect(parts.filter((p) => p.added).map((p) => p.value)).toEqual(['cautioned']);
    expect(parts.filter((p) => !p.added).map((p) => p.value).join('')).toBe('The envoy warned allies.');
    expect(parts.filter((p) => !p.removed).map((p) => p.value).join('')).toBe('The envoy cautioned allies.');
  });

  it('of two very different long texts still answers (the diff is bounded in time)', () => {
    const a = Array.from({ length: 20_000 }, (_, i) => `a${i}`).join(' ');
    const b = Array.from({ length: 20_000 }, (_, i) => `b${(i * 7919) % 20_000}`).join(' ');
    const started = Date.now();
    const parts = wordDiff(a, b);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(parts.filter((p) => !p.added).map((p) => p.value).join('')).toBe(a);
    expect(parts.filter((p) => !p.removed).map((p) => p.value).join('')).toBe(b);
  });
});

it('all fields of one comparison share one time budget', () => {
  const text = (seed: number) => Array.from({ length: 20_000 }, (_, i) => `w${(i * seed) % 20_000}`).join(' ');
  const kinds = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`f${i}`, 'text']));
  const before = Object.fromEntries(Object.keys(kinds).map((f) => [f, text(7919)]));
  const after = Object.fromEntries(Object.keys(kinds).map((f) => [f, text(104_729)]));
  const started = Date.now();
  const diff = diffContents({ content: before, kinds }, { content: after, kinds });
  // Six fields that each would take seconds: about the 500 ms budget in all, not six times it.
  expect(Date.now() - started).toBeLessThan(2_000);
  for (const d of diff) expect(d.words?.filter((w) => !w.added).map((w) => w.value).join('')).toBe(before[d.field]);
});

describe('text of stored values', () => {
  test.each([
    ['blocks', [paragraph('One.'), paragraph('Two.')], 'One.\n\nTwo.'],
    ['blocks', [{ type: 'list', children: [{ type: 'list-item', children: [{ type: 'text', text: 'item' }] }] }], '- item'],
    ['component:story.section[]', [{ heading: 'Heading', body: [paragraph('Body.')] }], 'Heading\n\nBody.'],
    ['string', 'plain', 'plain'],
    ['integer', 3, '3'],
    ['string', null, ''],
  ])('%s %j reads as %j', (kind, value, text) => {
    expect(valueText(value, kind)).toBe(text);
  });

  it('blocks nested in links keep their words', () => {
    expect(blocksText([{ type: 'paragraph', children: [{ type: 'text', text: 'See ' }, { type: 'link', children: [{ type: 'text', text: 'this' }] }] }])).toBe('See this');
  });
});

describe('field by field', () => {
  const kinds = { title: 'string', entities: 'relation:api::entity.entity[]', sections: 'component:story.section[]', views: 'integer' };
  const before = { title: 'Old', entities: [{ documentId: 'a', label: 'Alpha' }, { documentId: 'b', label: 'Beta' }], sections: [], views: 1 };
  const after = { title: 'Old', entities: [{ documentId: 'b', label: 'Beta' }, { documentId: 'c', label: 'Gamma' }], sections: [{ heading: 'New', body: [] }], views: 2 };

  it('says unchanged, changed, added; relations as labels linked and unlinked; others before and after', () => {
    const diff = Object.fromEntries(diffContents({ content: before, kinds }, { content: after, kinds }).map((d) => [d.field, d]));
    expect(diff.title).toEqual({ field: 'title', kind: 'string', change: 'unchanged' });
    expect(diff.entities).toMatchObject({ change: 'changed', linked: ['Gamma'], unlinked: ['Alpha'] });
    expect(diff.sections).toMatchObject({ change: 'added', words: [{ value: 'New', added: true }] });
    expect(diff.views).toMatchObject({ change: 'changed', before: 1, after: 2 });
  });

  it('names fields only one side has, never dropping them', () => {
    const diff = diffContents({ content: { title: 'A', kicker: 'K' }, kinds: { title: 'string', kicker: 'string' } }, { content: { title: 'A', standfirst: 'S' }, kinds: { title: 'string', standfirst: 'text' } });
    expect(diff.map((d) => [d.field, d.change, d.schema])).toEqual([
      ['title', 'unchanged', undefined],
      ['standfirst', 'added', 'only-after'],
      ['kicker', 'removed', 'only-before'],
    ]);
  });
});
