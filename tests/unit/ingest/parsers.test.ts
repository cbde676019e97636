/**
 * Each format parser against a table of fixture files: IPTC's own examples and ours. Every row
 * says what the normalised item must hold; the rows are the parsers' specification.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseInput } from '../../../src/ingest/parse';
import type { IngestItem } from '../../../src/ingest/item';
import { IngestError } from '../../../src/ingest/errors';

const FIXTURES = path.join(__dirname, '../../fixtures/ingest');
const read = (name: string) => readFileSync(path.join(FIXTURES, name));

const headings = (item: IngestItem) => item.sections.map((s) => s.heading);

type Row = [file: string, contentType: string, expected: (items: IngestItem[]) => void];

const rows: Row[] = [
  ['iptc/ninjs-1.6-004_simple_text_article.json', 'application/vnd.iptc.ninjs+json', ([i]) => {
    expect(i).toMatchObject({ format: 'ninjs', guid: 'http://ninjs.example.com/newsitems/20130709simp123', headline: 'Captain of wrecked cruise ship on trial in Italy', bylines: ["Paulo Santalucia and Frances d'Emilio"], versionCreated: '2013-07-09T10:37:00.000Z' });
    // body_richtext (markup) is preferred over body_main (text): four paragraphs.
    expect(i.sections[0].body).toHaveLength(4);
  }],
  ['iptc/ninjs-1.6-005_complex_text_article.json', 'application/json', ([i]) => {
    expect(i.concepts).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Francesco Schettino', kind: 'person' }), expect.objectContaining({ name: 'Italy', kind: 'place' })]));
  }],
  ['iptc/ninjs-1.6-003_associations_example.json', 'application/json', ([i]) => {
    expect(i.pictures.length).toBe(2);
    expect(i.pictures.every((p) => p.href?.startsWith('http'))).toBe(true);
  }],
  ['iptc/ninjs-2.2-005_complex_text_article.json', 'application/json', ([i]) => {
    expect(i).toMatchObject({ headline: 'Captain of wrecked cruise ship on trial in Italy', language: 'en', located: 'Grossetto, Italy', bylines: ["Paulo Santalucia and Frances d'Emilio"] });
    expect(i.concepts.find((c) => c.name === 'Francesco Schettino')).toMatchObject({ kind: 'person', uri: 'http://www.wikidata.org/entity/Q4421821' });
    expect(i.sections[0].body).toHaveLength(4);
  }],
  ['iptc/ninjs-2.2-003_associations_example.json', 'application/json', ([i]) => {
    expect(i.headline).toMatch(/^Dell Redefines Workstation/);
    expect(i.pictures).toHaveLength(2);
  }],
  ['iptc/ninjs-2.2-007_multimedia.json', 'application/json', ([i]) => {
    expect(i.pictures.length).toBeGreaterThan(0);
    for (const p of i.pictures) expect(p.renditions.length).toBeGreaterThan(0);
  }],
  ['iptc/g2-LISTING_1_A_NewsML-G2_News_Item.xml', 'application/vnd.iptc.g2.newsitem+xml', ([i]) => {
    expect(i).toMatchObject({
      format: 'newsml-g2',
      guid: 'urn:newsml:acmenews.com:20161018:US-FINANCE-FED',
      version: '11',
      language: 'en-GB',
      provider: 'REUTERS',
      // -05:00 offsets, read as such (Superdesk once crashed on offsets other than Z).
      versionCreated: '2018-10-21T21:25:32.000Z',
      firstCreated: '2016-10-18T18:12:21.000Z',
      embargoed: '2018-10-23T12:00:00.000Z',
      pubStatus: 'usable',
      signals: ['update'],
      slugline: 'US-Finance-Fed',
      headline: 'Fed to halt QE to avert "bubble"',
      located: 'Berlin',
      bylines: ['Meredith Jameson'],
    });
    expect(i.ednote).toMatch(/^Note to editors: STRICTLY EMBARGOED\./);
    expect(i.concepts).toEqual(expect.arrayContaining([{ name: 'labour market', kind: 'topic', code: 'medtop:20000523' }, { name: 'Interview', kind: 'topic', code: 'genre:interview' }]));
  }],
  ['iptc/g2-LISTING_2_NewsML-G2_Text_Document.xml', 'application/xml', ([i]) => {
    // The NITF body inside inlineXML; the byline's title left out of the name.
    expect(i).toMatchObject({ guid: 'urn:newsml:acmenews.com:20161121:US-FINANCE-FED', bylines: ['Meredith Jameson'], located: 'New York, NY' });
    expect(i.sections[0].body.length).toBe(2);
  }],
  ['iptc/g2-LISTING_22_Sports_story_in_NewsML-G2NITF.xml', 'application/xml', ([i]) => {
    // Every headline, the envelope's first, the NITF hl1 after it.
    expect(i.headlines.map((h) => h.role)).toEqual(['main', 'hl1']);
    expect(i.standfirst).toMatch(/^A pair of teams coming off big weekend sweeps/);
    expect(i.bylines).toEqual(['The Sports Network']);
  }],
  ['g2-message-package.xml', 'application/vnd.iptc.g2.newsmessage+xml', (items) => {
    expect(items).toHaveLength(1);
    const [i] = items;
    expect(i.headlines).toEqual([
      { role: 'main', value: "US presses allies on China's help to Russia" },
      { role: 'subtitle', value: 'Washington shares intelligence with Europe' },
    ]);
    expect(i.versionCreated).toBe('2024-04-10T03:30:00.000Z');
    expect(i.pictures).toEqual([expect.objectContaining({ href: 'http://127.0.0.1:1/highres.jpg', caption: 'US President Joe Biden speaks in Washington.', credit: 'Kevin Lamarque', copyrightHolder: 'Reuters', usageTerms: 'Editorial use only' })]);
    expect(i.pictures[0].renditions.map((r) => r.name)).toEqual(['thumbnail', 'highRes']);
    expect(i.concepts[0]).toEqual({ name: 'Joe Biden', kind: 'person', code: 'wd:Q6279', uri: 'http://www.wikidata.org/entity/Q6279' });
    // Nested markup kept: bold > italic > underline.
    expect(i.sections[0].body[0]).toMatchObject({ type: 'paragraph' });
    expect(JSON.stringify(i.sections)).toContain('{"type":"text","text":"satellite","bold":true,"italic":true,"underline":true}');
    expect(headings(i)).toEqual([null, 'Reaction']);
    expect(JSON.stringify(i.sections)).not.toMatch(/track|evil|pixel/);
  }],
  ['nitf-correction.xml', 'application/nitf+xml', ([i]) => {
    expect(i).toMatchObject({
      format: 'nitf',
      guid: 'AFP-20240410-0042',
      version: '3',
      versionCreated: '2024-04-10T13:30:00.000Z',
      signals: ['correction'],
      correction: 'Corrects the amount in paragraph 2 to $240 billion',
      ednote: 'Corrects amount',
      provider: 'AFP',
      bylines: ['Anna Writer'],
      located: 'Washington',
      dateline: '2024-04-10',
      standfirst: 'The United States widened its sanctions.',
    });
    expect(i.headlines).toEqual([{ role: 'main', value: "Sanctions widened over China's support" }, { role: 'subtitle', value: 'Treasury names new entities' }]);
    expect(headings(i)).toEqual([null, 'Trade']);
    expect(i.pictures[0]).toMatchObject({ href: 'http://127.0.0.1:1/yellen.jpg', caption: 'Treasury Secretary Janet Yellen speaks.', credit: 'AFP/John Photo', altText: 'Janet Yellen at a podium' });
    expect(i.concepts).toEqual(expect.arrayContaining([{ name: 'politics', kind: 'topic', code: 'subj:11000000' }, { name: 'Janet Yellen', kind: 'person' }]));
  }],
];

describe.each(rows)('%s', (file, contentType, expected) => {
  it('parses to what the row says', () => {
    expected(parseInput(read(file), contentType).items);
  });
});

const refusals: [string, string, number, RegExp][] = [
  ['iptc/ninjs-1.6-002_renditions_example.json', 'application/json', 422, /^not valid ninjs 1\.x: \/uri must match format "uri"/],
  ['iptc/ninjs-2.2-002_renditions_example.json', 'application/json', 422, /^not valid ninjs 2\.x: \/uri must match format "uri"/],
  ['iptc/g2-LISTING_3_Photo_in_NewsML-G2.xml', 'application/xml', 422, /no text item/],
  ['billion-laughs.xml', 'application/xml', 400, /^XML DTD at line \d+, column \d+: a DTD that declares entities is refused/],
  ['external-entity.xml', 'application/xml', 400, /^XML DTD at line \d+, column \d+: a DTD that declares entities is refused/],
];

describe.each(refusals)('%s is refused', (file, contentType, status, message) => {
  it(`with a ${status}`, () => {
    const error = (() => {
      try {
        parseInput(read(file), contentType);
      } catch (e) {
        return e;
      }
      throw new Error('parsed');
    })();
    expect(error).toBeInstanceOf(IngestError);
    expect((error as IngestError).status).toBe(status);
    expect((error as IngestError).message).toMatch(message);
  });
});

describe('ninjs schema violations name the JSON path', () => {
  it.each([
    [{ uri: 'http://x.example/1', headline: 5 }, '/headline', /must be string/],
    [{ uri: 'http://x.example/1', pubstatus: 'gone' }, '/pubstatus', /must be equal to one of the allowed values \(usable, withheld, canceled\)/],
    [{ uri: 'http://x.example/1', headlines: [{ value: 'x', colour: 'red' }] }, '/headlines/0', /must NOT have additional properties \(colour\)/],
    [{ headline: 'no uri' }, '/', /must have required property 'uri'/],
  ])('%j → %s', (item, at, message) => {
    try {
      parseInput(Buffer.from(JSON.stringify(item)), 'application/json');
      throw new Error('parsed');
    } catch (e) {
      expect(e).toBeInstanceOf(IngestError);
      const details = (e as IngestError).details;
      expect(details.some((d) => d.path === at && message.test(d.message))).toBe(true);
    }
  });
});

describe('the Content-Type decides the format', () => {
  it.each([
    ['application/vnd.iptc.ninjs+json; charset=utf-8', '{"uri":"http://x.example/a","headline":"A"}', 'ninjs'],
    ['text/xml', '<nitf><body><body.head><hedline><hl1>A</hl1></hedline></body.head></body></nitf>', 'nitf'],
    ['application/xml', '<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="g"><contentMeta><headline>A</headline></contentMeta></newsItem>', 'newsml-g2'],
    ['text/plain', 'A\n\nB.', 'text'],
    ['text/html', '<h1>A</h1><p>B.</p>', 'html'],
  ])('%s', (type, body, format) => {
    expect(parseInput(Buffer.from(body), type).format).toBe(format);
  });

  it('reads a Latin-1 body its XML declaration names', () => {
    const xml = Buffer.concat([Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><nitf><body><body.head><hedline><hl1>Caf'), Buffer.from([0xe9]), Buffer.from('</hl1></hedline></body.head></body></nitf>')]);
    expect(parseInput(xml, 'application/xml').items[0].headline).toBe('Café');
  });
});
