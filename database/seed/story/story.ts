/**
 * The first story, as structured seed data.
 *
 * Every string here is copied from `source.txt` (the scrape, kept beside this file so the project
 * stands alone) with the scrape residue left out: the stray `!-- Google tag (gtag.js) -->` line, the title
 * repeated after the dateline, and the layout whitespace around the image credit.
 * `tests/unit/seed/story-fidelity.test.ts` rebuilds the scrape from this data and compares it with
 * `source.txt` line by line, so a typo here fails the build.
 *
 * Editorial additions that the source does not carry are marked `editorial` below: the hero image's
 * alt text and the Wikidata ids of entities.
 */

export const ENTITY_KINDS = ['person', 'organization', 'country', 'place', 'event', 'topic'] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

export interface EntitySeed {
  /** uid of the entity; stable, so seeding can find what it already made */
  slug: string;
  name: string;
  kind: EntityKind;
  /** who or what the entity is, in the story's words; null where the story says nothing */
  description: string | null;
  /** the other names the story uses for it */
  aliases: string[];
  /** editorial */
  wikidataId: string | null;
}

export interface SectionSeed {
  /** null for the lead, which comes before the first heading */
  heading: string | null;
  paragraphs: string[];
}

export interface ImageSeed {
  /** file shipped beside this module; the real photo is not in the source */
  file: string;
  mime: string;
  caption: string;
  /** editorial */
  altText: string;
  credit: string;
  agency: string;
  /** ISO date */
  takenAt: string;
  location: string;
  /** slugs of entities */
  depicts: string[];
  /** the rights it is used under; an agency picture with no end date */
  licence: 'staff' | 'agency' | 'licensed' | 'creative-commons' | 'public-domain' | 'handout';
  rightsExpireAt: string | null;
}

export interface StorySeed {
  locale: string;
  slug: string;
  title: string;
  standfirst: string;
  /** ISO date the story carries */
  dateline: string;
  /** the dateline as printed in the source */
  datelineAsPrinted: string;
  sections: SectionSeed[];
  heroImage: ImageSeed;
  /** slugs of entities the story names, in order of first mention */
  entities: string[];
}

export const entities: EntitySeed[] = [
  { slug: 'united-states', name: 'United States', kind: 'country', description: null, aliases: ['US'], wikidataId: 'Q30' },
  { slug: 'china', name: 'China', kind: 'country', description: null, aliases: [], wikidataId: 'Q148' },
  { slug: 'russia', name: 'Russia', kind: 'country', description: null, aliases: [], wikidataId: 'Q159' },
  { slug: 'ukraine', name: 'Ukraine', kind: 'country', description: null, aliases: [], wikidataId: 'Q212' },
  {
    slug: 'russia-ukraine-conflict',
    name: 'Russia-Ukraine conflict',
    kind: 'event',
    description: null,
    aliases: ['Ukraine Conflict'],
    wikidataId: null,
  },
  {
    slug: 'biden-administration',
    name: 'Biden Administration',
    kind: 'organization',
    description: null,
    aliases: [],
    wikidataId: null,
  },
  { slug: 'joe-biden', name: 'Joe Biden', kind: 'person', description: 'US President', aliases: ['Biden'], wikidataId: 'Q6279' },
  { slug: 'xi-jinping', name: 'Xi Jinping', kind: 'person', description: 'Chinese President', aliases: ['Xi'], wikidataId: 'Q15031' },
  { slug: 'apec-summit', name: 'APEC summit', kind: 'event', description: null, aliases: [], wikidataId: null },
  { slug: 'woodside-california', name: 'Woodside, California', kind: 'place', description: null, aliases: [], wikidataId: null },
  { slug: 'bloomberg', name: 'Bloomberg', kind: 'organization', description: null, aliases: [], wikidataId: null },
  {
    slug: 'adrienne-watson',
    name: 'Adrienne Watson',
    kind: 'person',
    description: 'spokesperson for the White House National Security Council',
    aliases: [],
    wikidataId: null,
  },
  {
    slug: 'white-house-national-security-council',
    name: 'White House National Security Council',
    kind: 'organization',
    description: null,
    aliases: [],
    wikidataId: null,
  },
  {
    slug: 'chinese-foreign-ministry',
    name: 'Chinese foreign ministry',
    kind: 'organization',
    description: null,
    aliases: ['China’s foreign ministry'],
    wikidataId: null,
  },
  { slug: 'vladimir-putin', name: 'Vladimir Putin', kind: 'person', description: null, aliases: ['Putin'], wikidataId: 'Q7747' },
  {
    slug: '2022-winter-olympic-games',
    name: '2022 Winter Olympic Games',
    kind: 'event',
    description: null,
    aliases: [],
    wikidataId: null,
  },
  { slug: 'beijing', name: 'Beijing', kind: 'place', description: null, aliases: [], wikidataId: 'Q956' },
  { slug: 'hong-kong', name: 'Hong Kong', kind: 'place', description: null, aliases: [], wikidataId: 'Q8646' },
  { slug: 'moscow', name: 'Moscow', kind: 'place', description: null, aliases: [], wikidataId: 'Q649' },
  {
    slug: 'antony-blinken',
    name: 'Antony Blinken',
    kind: 'person',
    description: 'Secretary of State',
    aliases: ['Blinken'],
    wikidataId: null,
  },
  {
    slug: 'janet-yellen',
    name: 'Janet Yellen',
    kind: 'person',
    description: 'Treasury Secretary',
    aliases: ['Yellen'],
    wikidataId: null,
  },
  { slug: 'north-korea', name: 'North Korea', kind: 'country', description: null, aliases: [], wikidataId: 'Q423' },
  { slug: 'iran', name: 'Iran', kind: 'country', description: null, aliases: [], wikidataId: 'Q794' },
];

export const story: StorySeed = {
  locale: 'en',
  slug: 'us-warns-allies-of-chinas-growing-support-for-russia-amid-ukraine-conflict',
  title: 'US Warns Allies of China’s Growing Support for Russia Amid Ukraine Conflict',
  standfirst:
    'The Biden Administration has sanctioned Chinese entities for facilitating transfers of vital technology to Russia, underscoring its efforts to curb Beijing’s support for Moscow.',
  dateline: '2024-04-10',
  datelineAsPrinted: 'April 10, 2024',
  heroImage: {
    file: 'placeholder-biden-xi-apec-woodside-2023.jpg',
    mime: 'image/jpeg',
    caption:
      'US President Joe Biden (L) meets with Chinese President Xi Jinping on the sidelines of the APEC summit, in Woodside, California, US, 15 November 2023.',
    altText: 'Joe Biden and Xi Jinping meeting on the sidelines of the APEC summit in Woodside, California',
    credit: 'Kevin Lamarque',
    agency: 'REUTERS',
    takenAt: '2023-11-15',
    location: 'Woodside, California, US',
    depicts: ['joe-biden', 'xi-jinping'],
    licence: 'agency',
    rightsExpireAt: null,
  },
  sections: [
    {
      heading: null,
      paragraphs: [
        'Amidst the ongoing Russia-Ukraine conflict, the US is cautioning its allies about China sharing geospatial intelligence to aid Russia in its military operations against Ukraine. Sources familiar with the matter told Bloomberg that China has been supplying Russia with satellite imagery, microelectronics, machine tools for tanks, optics, propellants for missiles, and enhancing space cooperation.',
      ],
    },
    {
      heading: 'Xi-Biden Talks',
      paragraphs: [
        'This development comes at the heels of US President Joe Biden conveying his concerns to his Chinese counterpart Xi Jinping during a recent call, specifically addressing China’s assistance to the Russian defence industry, encompassing machine tools, optics, nitrocellulose, microelectronics, and turbojet engines, according to Adrienne Watson, spokesperson for the White House National Security Council.',
        'However, China’s foreign ministry has yet to respond to inquiries regarding this matter.',
      ],
    },
    {
      heading: 'China-Russia Ties',
      paragraphs: [
        'Despite its attempts to maintain a neutral stance in the conflict, China has forged a strong alliance with Russia, emphasised by Xi Jinping and Vladimir Putin’s declaration of an all-encompassing friendship ahead of the 2022 Winter Olympic Games in Beijing.',
        'Trade between the two nations surged to a record $240 billion in 2023, with China emerging as a major supplier to Russia following Western manufacturers’ departure due to sanctions. Additionally, China and Hong Kong have become pivotal conduits for Moscow to obtain restricted technologies, crucial for military purposes, including chips and integrated circuits.',
      ],
    },
    {
      heading: 'US Sanctions',
      paragraphs: [
        'The Biden Administration has sanctioned Chinese entities for facilitating such transfers, underscoring its efforts to curb China’s support for Russia.',
        'Secretary of State Antony Blinken briefed European allies on the extent of China’s assistance and urged them to address the issue directly with China while considering actions against Chinese entities. Similarly, Treasury Secretary Janet Yellen has warned of significant repercussions for companies, including those in China, found to support Russian military endeavours.',
        'However, there is no evidence to suggest that China has contravened this warning thus far.',
        'As Ukraine faces an acute shortage of artillery and struggles with resupply efforts, Russia has bolstered its domestic arms production and continues to import crucial components through third-party networks, along with receiving weaponry from countries like North Korea and Iran.',
      ],
    },
  ],
  entities: entities.map((e) => e.slug),
};
