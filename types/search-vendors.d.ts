// Declarations for the search analysers' dependencies, which ship no types of their own.
declare module 'snowball-stemmers' {
  export interface Stemmer {
    stem(word: string): string;
  }
  export function newStemmer(language: string): Stemmer;
  export function algorithms(): string[];
  const snowball: { newStemmer: typeof newStemmer; algorithms: typeof algorithms };
  export default snowball;
}

declare module 'stopword' {
  export const eng: string[];
  export const rus: string[];
  export const ukr: string[];
  export const zho: string[];
  export function removeStopwords(tokens: string[], stopwords?: string[]): string[];
}

declare module 'damerau-levenshtein' {
  function distance(a: string, b: string, limit?: number): { steps: number; relative: number; similarity: number };
  export = distance;
}
