import { errors } from '@strapi/utils';
import { asClientError, isDatabaseUnavailable } from '../../../src/errors/boundary';

const formidable = (code: number, httpCode: number) => Object.assign(new Error(`MultipartParser.end(): stream ended unexpectedly: state = PART_DATA`), { code, httpCode });
const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('which errors are a database outage', () => {
  it.each([
    ['connection refused', true, withCode('ECONNREFUSED')],
    ['admin shutdown (57P01)', true, withCode('57P01', 'terminating connection due to administrator command')],
    ['cannot connect now (57P03)', true, withCode('57P03')],
    ['connection exception class 08', true, withCode('08006')],
    ['knex pool timeout', true, Object.assign(new Error('Knex: Timeout acquiring a connection'), { name: 'KnexTimeoutError' })],
    ['terminated connection', true, new Error('Connection terminated unexpectedly')],
    ['a unique violation', false, withCode('23505')],
    ['a syntax error', false, withCode('42601')],
    ['a plain bug', false, new TypeError('x is not a function')],
    ['not an error', false, 'ECONNREFUSED'],
  ])('%s → outage: %s', (_what, expected, error) => {
    expect(isDatabaseUnavailable(error)).toBe(expected);
  });
});

describe('which plain errors are the client’s', () => {
  it('a malformed multipart body is a ValidationError (400)', () => {
    const e = asClientError(formidable(1012, 400));
    expect(e).toBeInstanceOf(errors.ValidationError);
    expect(e!.message).toBe('The multipart body could not be read: MultipartParser.end()');
  });

  it.each([1006, 1007, 1009, 1016])('formidable limit %i is a PayloadTooLargeError (413)', (code) => {
    expect(asClientError(formidable(code, 413))).toBeInstanceOf(errors.PayloadTooLargeError);
  });

  it('an outage is a 503 whose message may be shown', () => {
    const e = asClientError(withCode('ECONNREFUSED')) as Error & { status: number; expose: boolean };
    expect(e.status).toBe(503);
    expect(e.expose).toBe(true);
  });

  it('a 4xx from a body parser is answered with its status, as a client error (not logged as a server error)', () => {
    const tooLarge = Object.assign(new Error('request entity too large'), { status: 413, expose: true });
    const converted = asClientError(tooLarge) as Error & { status: number };
    expect(converted.status).toBe(413);
    expect(converted.message).toBe('request entity too large');
  });

  it.each([
    ['22P02', 'invalid input syntax for type integer: "%"'],
    ['22003', 'value "99999999999" is out of range for type integer'],
    ['22007', 'invalid input syntax for type timestamp: "yesterday-ish"'],
    ['22008', 'date/time field value out of range: "2024-13-45"'],
  ])('a value PostgreSQL cannot read as its column type (%s) is a ValidationError (400)', (code, message) => {
    const mapped = asClientError(withCode(code, message));
    expect(mapped).toBeInstanceOf(errors.ValidationError);
    expect(mapped?.message).toBe('A value in the request does not fit its field (wrong type or out of range)');
  });

  it("an operator used on a field (Strapi's query builder: Undefined attribute level operator $or) is a ValidationError naming filters", () => {
    const mapped = asClientError(new Error('Undefined attribute level operator $or'));
    expect(mapped).toBeInstanceOf(errors.ValidationError);
    expect(mapped).toMatchObject({ message: 'filters: $or cannot be used on a field', details: { source: 'query', param: 'filters' } });
  });

  it('other PostgreSQL errors are not the client\'s (unique violation, undefined column)', () => {
    expect(asClientError(withCode('23505', 'duplicate key value violates unique constraint'))).toBeNull();
    expect(asClientError(withCode('42703', 'column "x" does not exist'))).toBeNull();
  });

  it('text PostgreSQL cannot store (a NUL byte, 22021) is a ValidationError (400)', () => {
    expect(asClientError(withCode('22021', 'invalid byte sequence for encoding "UTF8": 0x00'))).toBeInstanceOf(errors.ValidationError);
  });

  it('anything else is left to Strapi (a 500 without its message)', () => {
    expect(asClientError(new TypeError('query.split is not a function'))).toBeNull();
    expect(asClientError(Object.assign(new Error('x'), { code: 5, httpCode: 400 }))).toBeNull();
  });
});
