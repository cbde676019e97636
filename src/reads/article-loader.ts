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
import { rightsExpired } from '../image-rights';
import type { Knex } from 'knex';
import { sqliteReader } from './sqlite-statements';

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

export interface Meta {
  uid: string;
  tableName: string;
  attributes: Record<string, Attribute>;
  columnToAttribute: Record<string, string>;
}

// Strapi's own field converters (dates, JSON, booleans, numbers) and scalar test, the ones its
// query engine's row conversion (`fromRow`) uses.
/* eslint-disable @typescript-eslint/no-require-imports */
const { createField } = require('@strapi/database/dist/fields/index.js') as { createField(a: Attribute): { fromDB(v: unknown): unknown } };
const { isScalar } = require('@strapi/database/dist/utils/types.js') as { isScalar(type: string): boolean };
/* eslint-enable @typescript-eslint/no-require-imports */

type RowConverter = (row: Row) => Row;
const converters = new WeakMap<Meta, RowConverter>();

/**
 * Strapi's `fromRow` for one model, with the per-column work (finding the attribute, testing its
 * type, picking the converter) done once instead of for every value of every row.
 */
export function fromRow(meta: Meta, row: Row): Row {
  let convert = converters.get(meta);
  if (!convert) {
    const byColumn = new Map<string, { name: string; field: { fromDB(v: unknown): unknown } | null }>();
    for (const [column, name] of Object.entries(meta.columnToAttribute)) {
      const attribute = meta.attributes[name];
      if (isScalar(attribute.type)) byColumn.set(column, { name, field: createField(attribute) });
      else if (attribute.type === 'relation') byColumn.set(column, { name, field: null });
    }
    convert = (r) => {
      const out: Row = {};
      for (const column in r) {
        const c = byColumn.get(column);
        if (!c) continue;
        const value = r[column];
        out[c.name] = c.field && value !== null ? c.field.fromDB(value) : value;
      }
      return out;
    };
    converters.set(meta, convert);
  }
  return convert(row);
}

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

  /** SQL of each query shape, compiled by knex once; later calls only bind values. */
  private readonly compiled = new Map<string, { sql: string; slots: Array<number | { value: unknown }> }>();

  /** SQLite: statements run on one pooled connection per batch, past knex's runner (sqlite-statements.ts). */
  private readonly sqlite?: (sql: string, bindings: readonly unknown[]) => Promise<Row[]>;

  constructor(private readonly strapi: Core.Strapi) {
    this.knex = strapi.db.connection as unknown as Knex;
    const meta = (uid: string) => strapi.db.metadata.get(uid) as unknown as Meta;
    this.article = meta(ARTICLE);
    this.image = meta(IMAGE);
    this.file = meta(FILE);
    this.entity = meta(this.attr(this.article, 'entities').target as string);
    if (strapi.db.dialect.client === 'sqlite') this.sqlite = sqliteReader(this.knex);
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

  /**
   * Runs the query `build` makes for `params`, compiling its SQL only the first time a shape
   * (`key`) is seen: building and compiling a knex query costs more than running it on SQLite.
   * `build` gets stand-ins for the parameters and must use each where its value goes.
   */
  private async run(key: string, params: readonly unknown[], build: (p: readonly unknown[]) => Knex.QueryBuilder): Promise<Row[]> {
    let compiled = this.compiled.get(key);
    if (!compiled) {
      // Stand-ins are numbers no real value takes, so they pass where knex checks for integers (limit, offset).
      const marks = params.map((_, i) => 1_999_000_001 + i);
      const { sql, bindings } = build(marks).toSQL();
      const slots = bindings.map((b) => (typeof b === 'number' && marks.includes(b) ? marks.indexOf(b) : { value: b }));
      if (new Set(slots.filter((s) => typeof s === 'number')).size !== params.length) throw new Error(`query ${key} does not use every parameter`);
      compiled = { sql, slots };
      this.compiled.set(key, compiled);
    }
    const bindings = compiled.slots.map((slot) => (typeof slot === 'number' ? params[slot] : slot.value));
    if (this.sqlite) return this.sqlite(compiled.sql, bindings);
    const result = (await this.knex.raw(compiled.sql, bindings as Knex.RawBinding[])) as Row[] | { rows: Row[] };
    return Array.isArray(result) ? result : result.rows;
  }

  /** Article rows (scalar fields only), as the Document Service gives them without populate. */
  async articles(key: string, params: readonly unknown[], where: (q: Knex.QueryBuilder, p: readonly unknown[]) => void): Promise<Row[]> {
    const rows = await this.run(`articles:${key}`, params, (p) => {
      const query = this.knex(this.article.tableName).select(scalarColumns(this.article));
      where(query, p);
      return query;
    });
    return rows.map((row) => fromRow(this.article, row));
  }

  get articleTable(): string {
    return this.article.tableName;
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

    const rows = await this.run(`components:${articleIds.length}`, articleIds, (ids) => {
      const query = this.knex({ j: joinTable.name }).select({ __owner: `j.${owner}`, __field: `j.${fieldColumn}`, __type: `j.${typeColumn}` });
      metas.forEach((meta, i) => {
        query.select(selectAs(`c${i}`, meta));
        query.leftJoin({ [`c${i}`]: meta.tableName }, (on) => {
          on.on(`c${i}.id`, '=', `j.${cmp}`).andOnVal(`j.${typeColumn}`, '=', meta.uid);
        });
      });
      return query
        .whereIn(`j.${owner}`, ids as number[])
        .whereIn(`j.${fieldColumn}`, fields.map(([name]) => name))
        .orderBy([`j.${owner}`, `j.${fieldColumn}`, `j.${order}`, `j.${cmp}`]);
    });

    for (const row of rows) {
      const i = targets.indexOf(String(row.__type));
      const value = i < 0 ? null : part(row, `c${i}`, metas[i]);
      const bucket = result.get(Number(row.__owner))?.[String(row.__field)];
      if (value && bucket) bucket.push(value);
    }
    return result;
  }

  /**
   * What the article view shows besides localizations, in three statements for any number of
   * articles: components, hero images with their asset, and the entities articles name together
   * with their bylines and those their hero images depict.
   */
  async articleParts(articleIds: readonly number[]) {
    const [components, heroes, entities] = await Promise.all([
      this.components(articleIds),
      this.heroImages(articleIds),
      this.entities({ articleIds, heroOf: articleIds, bylineOf: articleIds }),
    ]);
    return { components, heroes, entities };
  }

  /** Each article's hero image with its asset (a file), in one statement; none where the image's rights expired. */
  async heroImages(articleIds: readonly number[]): Promise<Map<number, Row>> {
    const result = new Map<number, Row>();
    if (articleIds.length === 0) return result;
    const hero = this.join(this.article, 'heroImage');
    const morph = this.join(this.file, 'related');
    const { typeColumn, idColumn } = morph.morphColumn as NonNullable<NonNullable<Attribute['joinTable']>['morphColumn']>;
    const fieldColumn = 'field';
    const rows = await this.run(`hero:${articleIds.length}`, articleIds, (ids) =>
      this.knex({ l: hero.name })
        .select({ __owner: `l.${hero.joinColumn.name}` }, selectAs('i', this.image), selectAs('f', this.file))
        .join({ i: this.image.tableName }, `i.id`, `l.${(hero.inverseJoinColumn as { name: string }).name}`)
        .leftJoin({ m: morph.name }, (on) => {
          on.on(`m.${idColumn.name}`, '=', 'i.id').andOnVal(`m.${typeColumn.name}`, '=', IMAGE).andOnVal(`m.${fieldColumn}`, '=', 'asset');
        })
        .leftJoin({ f: this.file.tableName }, 'f.id', `m.${morph.joinColumn.name}`)
        .whereIn(`l.${hero.joinColumn.name}`, ids as number[]),
    );
    const now = Date.now();
    for (const row of rows) {
      const image = part(row, 'i', this.image);
      // An image whose rights have expired is shown nowhere (src/image-rights).
      if (!image || rightsExpired(image, now)) continue;
      image.asset = part(row, 'f', this.file);
      result.set(Number(row.__owner), image);
    }
    return result;
  }

  /**
   * The entities articles name (`entities`), their bylines (`authors`) and the entities images
   * depict (`depicts`), in one statement, each list in the order editors gave it.
   */
  async entities(request: {
    articleIds?: readonly number[];
    imageIds?: readonly number[];
    heroOf?: readonly number[];
    bylineOf?: readonly number[];
  }): Promise<{
    ofArticle: Map<number, Row[]>;
    ofImage: Map<number, Row[]>;
    authorsOf: Map<number, Row[]>;
  }> {
    const named = this.join(this.article, 'entities');
    const authors = this.join(this.article, 'authors');
    const depicts = this.join(this.image, 'depicts');
    const hero = this.join(this.article, 'heroImage');
    const entityColumns = selectAs('e', this.entity);
    const branch = (via: 'a' | 'i' | 'b', table: NonNullable<Attribute['joinTable']>) =>
      this.knex({ l: table.name })
        .select({ __via: this.knex.raw('?', [via]), __owner: `l.${table.joinColumn.name}`, __ord: `l.${table.orderColumnName}` }, entityColumns)
        .join({ e: this.entity.tableName }, 'e.id', `l.${(table.inverseJoinColumn as { name: string }).name}`);
    const articleIds = request.articleIds ?? [];
    const imageIds = request.imageIds ?? [];
    const heroOf = request.heroOf ?? [];
    const bylineOf = request.bylineOf ?? [];
    const ofArticle = new Map<number, Row[]>();
    const ofImage = new Map<number, Row[]>();
    const authorsOf = new Map<number, Row[]>();
    if (articleIds.length + imageIds.length + heroOf.length + bylineOf.length === 0) return { ofArticle, ofImage, authorsOf };
    const key = `entities:${articleIds.length}:${imageIds.length}:${heroOf.length}:${bylineOf.length}`;
    const rows = await this.run(key, [...articleIds, ...imageIds, ...heroOf, ...bylineOf], (p) => {
      const branches: Knex.QueryBuilder[] = [];
      let at = 0;
      const take = (n: number) => p.slice(at, (at += n)) as number[];
      const a = take(articleIds.length);
      const i = take(imageIds.length);
      const h = take(heroOf.length);
      const b = take(bylineOf.length);
      if (a.length) branches.push(branch('a', named).whereIn(`l.${named.joinColumn.name}`, a));
      if (b.length) branches.push(branch('b', authors).whereIn(`l.${authors.joinColumn.name}`, b));
      if (i.length) branches.push(branch('i', depicts).whereIn(`l.${depicts.joinColumn.name}`, i));
      if (h.length) {
        const heroImages = this.knex(hero.name).select((hero.inverseJoinColumn as { name: string }).name).whereIn(hero.joinColumn.name, h);
        branches.push(branch('i', depicts).whereIn(`l.${depicts.joinColumn.name}`, heroImages));
      }
      const [first, ...rest] = branches;
      return rest.length ? first.unionAll(rest, false) : first;
    });
    rows.sort((a, b) => Number(a.__owner) - Number(b.__owner) || Number(a.__ord) - Number(b.__ord) || Number(a.e__id) - Number(b.e__id));
    for (const row of rows) {
      const value = part(row, 'e', this.entity);
      if (!value) continue;
      const into = row.__via === 'a' ? ofArticle : row.__via === 'b' ? authorsOf : ofImage;
      const list = into.get(Number(row.__owner));
      if (list) list.push(value);
      else into.set(Number(row.__owner), [value]);
    }
    return { ofArticle, ofImage, authorsOf };
  }

  /**
   * The other locales of each article, in the same state (published or draft): id, documentId,
   * locale, slug and title (what the REST view shows), or with `allFields` every scalar field.
   */
  async localizations(articles: readonly ArticleRowKey[], allFields = false): Promise<Map<number, Row[]>> {
    const result = new Map<number, Row[]>();
    const isPublished = (a: ArticleRowKey) => a.publishedAt !== null && a.publishedAt !== undefined;
    const load = async (group: readonly ArticleRowKey[], published: boolean) => {
      if (group.length === 0) return;
      const documentIds = [...new Set(group.map((a) => a.documentId))];
      const found = await this.run(`localizations:${published}:${allFields}:${documentIds.length}`, documentIds, (p) => {
        const query = this.knex(this.article.tableName)
          .select(allFields ? scalarColumns(this.article) : ['id', 'document_id', 'locale', 'slug', 'title'])
          .whereIn('document_id', p as string[]);
        if (published) query.whereNotNull('published_at');
        else query.whereNull('published_at');
        return query.orderBy('id');
      });
      const rows = found.map((row) => fromRow(this.article, row));
      const byDocument = new Map<unknown, Row[]>();
      for (const row of rows) {
        const siblings = byDocument.get(row.documentId);
        if (siblings) siblings.push(row);
        else byDocument.set(row.documentId, [row]);
      }
      for (const a of group) result.set(a.id, (byDocument.get(a.documentId) ?? []).filter((r) => r.id !== a.id));
    };
    await Promise.all([load(articles.filter(isPublished), true), load(articles.filter((a) => !isPublished(a)), false)]);
    return result;
  }
}
