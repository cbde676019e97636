/**
 * The pasted-page parsers and the body cleaner: the story's scrape gives the seeded story back
 * character for character; the cleaner keeps prose and drops what is not.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { story } from '../../../database/seed/story/story';
import { cleanHtml, htmlToBlocks, plainOf, toSections } from '../../../src/ingest/blocks';
import { parseHtmlPage } from '../../../src/ingest/formats/html-page';
import { dateLine, looksLikeHeading, parseText } from '../../../src/ingest/formats/text';
import { parseTime } from '../../../src/ingest/item';

const SOURCE = readFileSync(path.join(__dirname, '../../../database/seed/story/source.txt'), 'utf8');

describe('the first story’s scrape', () => {
  const item = parseText(SOURCE);

  it('gives back the headline, standfirst, date, the hero’s caption and credit', () => {
    expect(item.headline).toBe(story.title);
    expect(item.standfirst).toBe(story.standfirst);
    expect(item.dateline).toBe(story.dateline);
    expect(item.pictures).toEqual([expect.objectContaining({ href: null, caption: story.heroImage.caption, credit: 'REUTERS/Kevin Lamarque' })]);
  });

  it('gives back every section’s heading and paragraphs, character for character', () => {
    const sections = item.sections.map((s) => ({ heading: s.heading, paragraphs: s.body.map((b) => (b.type === 'list' ? '' : plainOf(b.children))) }));
    expect(sections).toEqual(story.sections.map((s) => ({ heading: s.heading, paragraphs: s.paragraphs })));
  });

  it('drops the scrape residue and says so', () => {
    expect(item.warnings).toEqual([`2 lines of page residue left out: "!-- Google tag (gtag.js) -->", ${JSON.stringify(story.title.slice(0, 60))}`]);
    expect(JSON.stringify({ ...item, warnings: [] })).not.toMatch(/gtag|Google tag/);
  });
});

describe('date lines', () => {
  it.each([
    ['April 10, 2024', '2024-04-10'],
    ['Apr 10, 2024', '2024-04-10'],
    ['10 April 2024', '2024-04-10'],
    ['Wednesday, April 10, 2024 10:32 AM', '2024-04-10'],
    ['2024-04-10', '2024-04-10'],
    ['February 30, 2024', null],
    ['April 10 people said 2024', null],
    ['The talks began on April 10, 2024 and went on for a very long time without any result at all', null],
  ])('%s → %s', (line, date) => expect(dateLine(line)).toBe(date));
});

describe('subheadings', () => {
  it.each([
    ['Xi-Biden Talks', true],
    ['US Sanctions', true],
    ['However, China’s foreign ministry has yet to respond.', false],
    ['lowercase start', false],
    ['A question?', false],
    ['One two three four five six seven eight nine ten eleven twelve thirteen', false],
  ])('%s → %s', (line, heading) => expect(looksLikeHeading(line)).toBe(heading));
});

describe('times from wires', () => {
  it.each([
    ['2018-10-21T16:25:32-05:00', '2018-10-21T21:25:32.000Z'],
    ['2024-04-10T09:00:00+05:30', '2024-04-10T03:30:00.000Z'],
    ['2024-04-10T09:00:00+0200', '2024-04-10T07:00:00.000Z'],
    ['20240410T153000+0200', '2024-04-10T13:30:00.000Z'],
    ['20240410', '2024-04-10T00:00:00.000Z'],
    ['2024-04-10', '2024-04-10T00:00:00.000Z'],
    ['2024-04-10T09:00:00', '2024-04-10T09:00:00.000Z'],
    ['not a time', null],
    ['', null],
  ])('%s → %s', (raw, iso) => {
    const warnings: string[] = [];
    expect(parseTime(raw, 'firstCreated', warnings)).toBe(iso);
    expect(warnings).toHaveLength(iso === null && raw ? 1 : 0);
  });
});

describe('the body cleaner', () => {
  it.each([
    ['<p>a<script>alert(1)</script>b</p>', '<p>ab</p>'],
    ['<p onclick="x()" style="color:red">a</p>', '<p>a</p>'],
    ['<p><a href="javascript:alert(1)">a</a></p>', '<p><a>a</a></p>'],
    ['<p><a href="https://x.example/" target="_blank">a</a></p>', '<p><a href="https://x.example/">a</a></p>'],
    ['<iframe src="https://x.example/"></iframe><p>a</p>', '<p>a</p>'],
    ['<p>a<img src="https://t.example/p.gif" width="1" height="1"></p>', '<p>a</p>'],
    ['<style>p{}</style><p>a</p>', '<p>a</p>'],
    ['<custom-tag>kept</custom-tag>', 'kept'],
  ])('%s → %s', (html, clean) => expect(cleanHtml(html)).toBe(clean));

  it('turns the allowed markup into blocks, nesting kept', () => {
    expect(htmlToBlocks('<h3>Head</h3><p>x <strong>b <em>bi</em></strong> <a href="https://x.example/">l</a></p><ol><li>one</li></ol><blockquote><p>q</p></blockquote>')).toEqual([
      { type: 'heading', level: 3, children: [{ type: 'text', text: 'Head' }] },
      {
        type: 'paragraph',
        children: [
          { type: 'text', text: 'x ' },
          { type: 'text', text: 'b ', bold: true },
          { type: 'text', text: 'bi', bold: true, italic: true },
          { type: 'text', text: ' ' },
          { type: 'link', url: 'https://x.example/', children: [{ type: 'text', text: 'l' }] },
        ],
      },
      { type: 'list', format: 'ordered', children: [{ type: 'list-item', children: [{ type: 'text', text: 'one' }] }] },
      { type: 'quote', children: [{ type: 'text', text: 'q' }] },
    ]);
  });

  it('splits sections at subheadings and leaves out a heading with nothing under it', () => {
    const warnings: string[] = [];
    const sections = toSections(htmlToBlocks('<p>lead</p><h2>A</h2><p>a</p><h2>Empty</h2><h2>B</h2><p>b</p>'), warnings);
    expect(sections.map((s) => s.heading)).toEqual([null, 'A', 'B']);
    expect(warnings).toEqual(['subheading "Empty" has no text under it: left out']);
  });
});

describe('a pasted web page', () => {
  const page = `<html lang="en"><head><title>Big news | Site</title><meta property="og:title" content="Big news">
    <meta name="description" content="The short of it."><meta property="article:published_time" content="2024-04-10T08:00:00+05:30"></head>
    <body><nav><a href="/">Home</a> <a href="/sport">Sport</a></nav><article><h1>Big news</h1>
    <figure><img src="https://img.example.com/a.jpg" alt="A man"><figcaption>A man speaks. <span class="credit">REUTERS/Jane Doe</span></figcaption></figure>
    <p>First paragraph of the story is long enough for Readability to take it as the article's content, as it is.</p>
    <h2>Sub</h2><p>Second <strong>bold</strong> paragraph, with more words so that Readability sees text here as well as there.</p>
    <script>track()</script></article><footer>© 2024 Site</footer></body></html>`;
  const item = parseHtmlPage(page);

  it('keeps the article and drops the page around it', () => {
    expect(item).toMatchObject({ headline: 'Big news', standfirst: 'The short of it.', language: 'en', dateline: '2024-04-10' });
    expect(item.sections.map((s) => s.heading)).toEqual([null, 'Sub']);
    expect(JSON.stringify(item.sections)).not.toMatch(/Home|Sport|©|track/);
    expect(item.pictures).toEqual([expect.objectContaining({ href: 'https://img.example.com/a.jpg', caption: 'A man speaks.', credit: 'REUTERS/Jane Doe', altText: 'A man' })]);
  });
});
