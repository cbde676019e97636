import { blame } from '../../../src/history/blame';
import { compareSchemas } from '../../../src/history/snapshot';
import type { VersionRow } from '../../../src/history/store';

const version = (id: number, who: string, fieldHashes: Record<string, string>) =>
  ({ id, by: { kind: 'admin', name: who }, savedAt: `2024-04-1${id}T00:00:00.000Z`, action: 'update', fieldHashes }) as unknown as VersionRow;

describe('blame', () => {
  it('names, for each field of the newest version, the first version of its unbroken run', () => {
    const rows = [version(1, 'Ann', { title: 'a', standfirst: 'x', 'sections.0': 's' }), version(2, 'Bob', { title: 'b', standfirst: 'x', 'sections.0': 's' }), version(3, 'Ann', { title: 'b', standfirst: 'y', 'sections.0': 's' })];
    expect(blame(rows).map((l) => [l.field, l.versionId, l.by.name])).toEqual([
      ['title', 2, 'Bob'],
      ['standfirst', 3, 'Ann'],
      ['sections.0', 1, 'Ann'],
    ]);
  });

  it('a value that came back is blamed on the version that brought it back', () => {
    const rows = [version(1, 'Ann', { title: 'a' }), version(2, 'Bob', { title: 'b' }), version(3, 'Cy', { title: 'a' })];
    expect(blame(rows)[0]).toMatchObject({ versionId: 3, by: { name: 'Cy' } });
  });

  it('of no versions is empty', () => {
    expect(blame([])).toEqual([]);
  });
});

describe('schemas compared', () => {
  it('names the fields a version lacks, the ones the type lost, and those that changed kind', () => {
    expect(compareSchemas({ title: 'string', kicker: 'string', dateline: 'date' }, { title: 'string', standfirst: 'text', dateline: 'datetime' })).toEqual({
      missing: ['standfirst'],
      unknown: ['kicker'],
      changedKind: ['dateline'],
    });
  });
});
