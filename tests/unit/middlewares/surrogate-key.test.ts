/**
 * The Surrogate-Key (and Cache-Tag) header of an answer that shows many documents: within the
 * bound every edge and client takes, its list and slug tags always kept, documents cut first.
 */
import { MAX_TAG_HEADER_BYTES, surrogateKeyOf } from '../../../src/middlewares/http-cache';

describe('surrogateKeyOf', () => {
  it('keeps every tag when they fit', () => {
    expect(surrogateKeyOf(['doc:a', 'list:articles:en', 'doc:b'])).toBe('list:articles:en doc:a doc:b');
  });

  it('a feed showing 2,000 documents: at most MAX_TAG_HEADER_BYTES, its list tags first, documents cut', () => {
    const docs = Array.from({ length: 2_000 }, (_, i) => `doc:${String(i).padStart(24, 'x')}`);
    const header = surrogateKeyOf([...docs, 'list:articles', 'list:articles:en']);
    expect(Buffer.byteLength(header)).toBeLessThanOrEqual(MAX_TAG_HEADER_BYTES);
    expect(Buffer.byteLength(header)).toBeGreaterThan(MAX_TAG_HEADER_BYTES - 30);
    const kept = header.split(' ');
    expect(kept.slice(0, 2)).toEqual(['list:articles', 'list:articles:en']);
    expect(kept.slice(2)).toEqual(docs.slice(0, kept.length - 2));
    // Both headers together stay under Node's 16 KB for all of an answer's headers.
    expect(2 * MAX_TAG_HEADER_BYTES).toBeLessThan(16 * 1024 - 2 * 1024);
  });
});
