/**
 * A light Ukrainian stemmer: neither SQLite nor PostgreSQL has one, and the npm ones tried here
 * give санкції and санкцій different stems. It strips the longest inflectional ending found after
 * the word's first vowel (Snowball's RV region, as its Russian stemmer does), keeping at least two
 * letters, then a trailing і/и/ь/й/ї left by a two-part ending (санкціями → санкці → санкц).
 * Derivational suffixes are left alone: a reader's word forms meet, different words stay apart.
 */
const VOWEL = /[аеєиіїоуюя]/;

// Noun, adjective, pronoun and verb endings, longest first (order within a length does not matter).
const ENDINGS = [
  'ими', 'іми', 'ами', 'ями', 'ого', 'ому', 'ього', 'ьому', 'ією', 'ою', 'ею', 'єю', 'ові', 'еві', 'єві',
  'ати', 'ити', 'іти', 'їти', 'ють', 'уть', 'ить', 'іть', 'ать', 'ять', 'ала', 'ила', 'ало', 'ило', 'али', 'или', 'ся', 'сь',
  'ів', 'їв', 'ах', 'ях', 'ам', 'ям', 'ом', 'ем', 'єм', 'им', 'ім', 'их', 'іх', 'ий', 'ій', 'ої', 'ії', 'ію', 'ія', 'ая', 'яя', 'ую', 'юю', 'ує', 'ав', 'ив', 'ла', 'ли', 'ло', 'ти', 'ть',
  'а', 'я', 'о', 'е', 'є', 'и', 'і', 'ї', 'у', 'ю', 'й', 'ь',
].sort((a, b) => b.length - a.length);

const TRAILING = new Set(['і', 'и', 'ь', 'й', 'ї']);

export function stemUkrainian(word: string): string {
  const w = word.replace(/['’ʼ]/g, '');
  const first = w.search(VOWEL);
  if (first < 0) return w;
  const rv = first + 1;
  let stem = w;
  for (const ending of ENDINGS) {
    if (stem.endsWith(ending) && stem.length - ending.length >= Math.max(rv, 2)) {
      stem = stem.slice(0, -ending.length);
      break;
    }
  }
  if (stem.length - 1 >= Math.max(rv, 2) && TRAILING.has(stem[stem.length - 1])) stem = stem.slice(0, -1);
  return stem;
}
