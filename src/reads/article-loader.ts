/**
 * Batched loading of what an article shows: its components (sections, updates), its hero image
 * with the image's asset, the entities it names, the entities its hero image depicts and its other
 * locales. Each part is one SQL statement for any number of articles, so a page of 100 articles
 * costs what one costs. Table and column names come from Strapi's own metadata, and rows are
 * turned into values by Strapi's own converters, so the values are exactly what the Document
 * Service would give. Only scalar columns are read: admin-user links (createdBy/updatedBy) are
 * never selected.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';

export type Row = Record<string, unknown>;

interface Attribute {
  type: string;
  columnName?: string;
  target?: string;
  relation?: string;
  joinTable?: {
    name: string;
    joinColumn: { name: string };
    inverseJoinColumn?: { name: string };
    orderColumnName?: string;
    on?: { field: string };
    pivotColumns?: string[];
    morphColumn?: { typeColumn: { name: string }; idColumn: { name: string } };
  };
}

interface Meta {
  uid: string;
  tableName: string;
  attributes: Record<string, Attribute>;
}

// Strapi's row-to-value conversion (dates, JSON, booleans, numbers), the one its query engine uses.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { fromRow } = require('@strapi/database/dist/query/helpers/transform.js') as {
  fromRow(meta: Meta, row: Row | null | undefined): Row | null;
};

const ARTICLE = 'api::article.article';
const IMAGE = 'api::image.image';
const FILE = 'plugin::upload.file';
const NOT_STORED = new Set(['relation', 'component', 'dynamiczone', 'media']);

const scalarColumns = (meta: Meta): string[] =>
  Object.values(meta.attributes)
    .filter((a) => a.columnName && !NOT_STORED.has(a.type))
    .map((a) => a.columnName as string);

/** `{ alias__col: 'alias.col' }` for every scalar column of a table joined under `alias`. */
const selectAs = (alias: string, meta: Meta): Record<string, string> =>
  Object.fromEntries(scalarColumns(meta).map((c) => [`${alias}__${c}`, `${alias}.${c}`]));

/** The columns of `alias` in a joined row, without the prefix; null when the join found nothing. */
function part(row: Row, alias: string, meta: Meta): Row | null {
  const prefix = `${alias}__`;
  const own: Row = {};
  for (const key of Object.keys(row)) if (key.startsWith(prefix)) own[key.slice(prefix.length)] = row[key];
  return own.id === null || own.id === undefined ? null : fromRow(meta, own);
}

export interface ArticleRowKey {
  id: number;
  documentId: string;
  locale: string;
  publishedAt: unknown;
}

export class ArticleLoader {
  private readonly knex: Knex;
  private readonly article: Meta;
  private readonly image: Meta;
  private readonly file: Meta;
  private readonly entity: Meta;

  constructor(private readonly strapi: Core.Strapi) {
    this.knex = strapi.db.connection as unknown as Knex;
    const meta = (uid: string) => strapi.db.metadata.get(uid) as unknown as Meta;
    this.article = meta(ARTICLE);
    this.image = meta(IMAGE);
    this.file = meta(FILE);
    this.entity = meta(this.attr(this.article, 'entities').target as string);
  }

  private attr(meta: Meta, name: string): Attribute {
    const attribute = meta.attributes[name];
    if (!attribute) throw new Error(`${meta.uid} has no attribute ${name}`);
    return attribute;
  }

  private join(meta: Meta, name: string): NonNullable<Attribute['joinTable']> {
    const joinTable = this.attr(meta, name).joinTable;
    if (!joinTable) throw new Error(`${meta.uid}.${name} has no join table`);
    return joinTable;
  }

  /** Published (or, with `draft`, draft) article rows, as the Document Service gives them without populate. */
  async articles(where: (q: Knex.QueryBuilder) => void): Promise<Row[]> {
    const query = this.knex(this.article.tableName).select(scalarColumns(this.article));
    where(query);
    const rows = (await query) as Row[];
    return rows.map((row) => fromRow(this.article, row) as Row);
  }

  get articleTable(): string {
    return this.article.tableName;
  }

  get entityTable(): string {
    return this.entity.tableName;
  }

  /** Every component attribute of the article (sections, updates), in one statement. */
  async components(articleIds: readonly number[]): Promise<Map<number, Record<string, Row[]>>> {
    const fields = Object.entries(this.article.attributes).filter(([, a]) => a.type === 'relation' && a.joinTable?.on?.field);
    const result = new Map<number, Record<string, Row[]>>();
    for (const id of articleIds) result.set(id, Object.fromEntries(fields.map(([name]) => [name, [] as Row[]])));
    if (articleIds.length === 0 || fields.length === 0) return result;

    const joinTable = fields[0][1].joinTable as NonNullable<Attribute['joinTable']>;
    const [, , fieldColumn, typeColumn] = joinTable.pivotColumns ?? [];
    const owner = joinTable.joinColumn.name;
    const cmp = (joinTable.inverseJoinColumn as { name: string }).name;
    const order = joinTable.orderColumnName ?? 'order';
    const targets = [...new Set(fields.map(([, a]) => a.target as string))];
    const metas = targets.map((uid) => this.strapi.db.metadata.get(uid) as unknown as Meta);

    const query = this.knex({ j: joinTable.name }).select({ __owner: `j.${owner}`, __field: `j.${fieldColumn}`, __type: `j.${typeColumn}` });
    metas.forEach((meta, i) => {
      query.select(selectAs(`c${i}`, meta));
      query.leftJoin({ [`c${i}`]: meta.tableName }, (on) => {
        on.on(`c${i}.id`, '=', `j.${cmp}`).andOnVal(`j.${typeColumn}`, '=', meta.uid);
      });
    });
    query
      .whereIn(`j.${owner}`, articleIds as number[])
      .whereIn(`j.${fieldColumn}`, fields.map(([name]) => name))
      .orderBy([`j.${owner}`, `j.${fieldColumn}`, `j.${order}`, `j.${cmp}`]);

    for (const row of (await query) as Row[]) {
      const i = targets.indexOf(String(row.__type));
      const value = i < 0 ? null : part(row, `c${i}`, metas[i]);
      const bucket = result.get(Number(row.__owner))?.[String(row.__field)];
      if (value && bucket) bucket.push(value);
    }
    return result;
  }

  /** Each article's hero image with its asset (a file), in one statement. */
  async heroImages(articleIds: readonly number[]): Promise<Map<number, Row>> {
    const result = new Map<number, Row>();
    if (articleIds.length === 0) return result;
    const hero = this.join(this.article, 'heroImage');
    const morph = this.join(this.file, 'related');
    const { typeColumn, idColumn } = morph.morphColumn as NonNullable<NonNullable<Attribute['joinTable']>['morphColumn']>;
    const fieldColumn = 'field';
    const rows = (await this.knex({ l: hero.name })
      .select({ __owner: `l.${hero.joinColumn.name}` }, selectAs('i', this.image), selectAs('f', this.file))
      .join({ i: this.image.tableName }, `i.id`, `l.${(hero.inverseJoinColumn as { name: string }).name}`)
      .leftJoin({ m: morph.name }, (on) => {
        on.on(`m.${idColumn.name}`, '=', 'i.id').andOnVal(`m.${typeColumn.name}`, '=', IMAGE).andOnVal(`m.${fieldColumn}`, '=', 'asset');
      })
      .leftJoin({ f: this.file.tableName }, 'f.id', `m.${morph.joinColumn.name}`)
      .whereIn(`l.${hero.joinColumn.name}`, articleIds as number[])) as Row[];
    for (const row of rows) {
      const image = part(row, 'i', this.image);
      if (!image) continue;
      image.asset = part(row, 'f', this.file);
      result.set(Number(row.__owner), image);
    }
    return result;
  }

  /**
   * The entities articles name (`entities`) and the entities images depict (`depicts`), in one
   * statement, each list in the order editors gave it.
   */
  async entities(request: { articleIds?: readonly number[]; imageIds?: readonly number[]; heroOf?: readonly number[] }): Promise<{
    ofArticle: Map<number, Row[]>;
    ofImage: Map<number, Row[]>;
  }> {
    const named = this.join(this.article, 'entities');
    const depicts = this.join(this.image, 'depicts');
    const hero = this.join(this.article, 'heroImage');
    const branches: Knex.QueryBuilder[] = [];
    const entityColumns = selectAs('e', this.entity);
    const branch = (via: 'a' | 'i', table: NonNullable<Attribute['joinTable']>) =>
      this.knex({ l: table.name })
        .select({ __via: this.knex.raw('?', [via]), __owner: `l.${table.joinColumn.name}`, __ord: `l.${table.orderColumnName}` }, entityColumns)
        .join({ e: this.entity.tableName }, 'e.id', `l.${(table.inverseJoinColumn as { name: string }).name}`);
    if (request.articleIds?.length) branches.push(branch('a', named).whereIn(`l.${named.joinColumn.name}`, request.articleIds as number[]));
    if (request.imageIds?.length) branches.push(branch('i', depicts).whereIn(`l.${depicts.joinColumn.name}`, request.imageIds as number[]));
    if (request.heroOf?.length) {
      const heroImages = this.knex(hero.name)
        .select((hero.inverseJoinColumn as { name: string }).name)
        .whereIn(hero.joinColumn.name, request.heroOf as number[]);
      branches.push(branch('i', depicts).whereIn(`l.${depicts.joinColumn.name}`, heroImages));
    }
    const ofArticle = new Map<number, Row[]>();
    const ofImage = new Map<number, Row[]>();
    if (branches.length === 0) return { ofArticle, ofImage };
    const [first, ...rest] = branches;
    const rows = (await (rest.length ? first.unionAll(rest, false) : first)) as Row[];
    rows.sort((a, b) => Number(a.__owner) - Number(b.__owner) || Number(a.__ord) - Number(b.__ord) || Number(a.e__id) - Number(b.e__id));
    for (const row of rows) {
      const value = part(row, 'e', this.entity);
      if (!value) continue;
      const into = row.__via === 'a' ? ofArticle : ofImage;
      const list = into.get(Number(row.__owner));
      if (list) list.push(value);
      else into.set(Number(row.__owner), [value]);
    }
    return { ofArticle, ofImage };
  }

  /** The other locales of each article, in the same state (published or draft): id, documentId, locale, slug, title. */
  async localizations(articles: readonly ArticleRowKey[]): Promise<Map<number, Row[]>> {
    const result = new Map<number, Row[]>();
    const isPublished = (a: ArticleRowKey) => a.publishedAt !== null && a.publishedAt !== undefined;
    const load = async (group: readonly ArticleRowKey[], published: boolean) => {
      if (group.length === 0) return;
      const query = this.knex(this.article.tableName)
        .select(['id', 'document_id', 'locale', 'slug', 'title'])
        .whereIn('document_id', [...new Set(group.map((a) => a.documentId))]);
      if (published) query.whereNotNull('published_at');
      else query.whereNull('published_at');
      const rows = ((await query.orderBy('id')) as Row[]).map((row) => fromRow(this.article, row) as Row);
      const byDocument = new Map<unknown, Row[]>();
      for (const row of rows) byDocument.set(row.documentId, [...(byDocument.get(row.documentId) ?? []), row]);
      for (const a of group) result.set(a.id, (byDocument.get(a.documentId) ?? []).filter((r) => r.id !== a.id));
    };
    await Promise.all([load(articles.filter(isPublished), true), load(articles.filter((a) => !isPublished(a)), false)]);
    return result;
  }
}
