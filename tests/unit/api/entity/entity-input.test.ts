import { errors } from '@strapi/utils';
import { thrownBy } from '../../../helpers/thrown';
import { validateEntityInput } from '../../../../src/api/entity/validation/entity-input';

describe('entity input', () => {
  it.each([[{ aliases: ['Biden', 'POTUS'] }], [{ aliases: [] }], [{ aliases: null }], [{ name: 'No aliases given' }], [undefined]])(
    'accepts %j',
    (data) => {
      expect(() => validateEntityInput(data as Record<string, unknown> | undefined)).not.toThrow();
    },
  );

  it.each([
    [{ aliases: 'Biden' }, 'aliases must be a list of strings'],
    [{ aliases: { a: 1 } }, 'aliases must be a list of strings'],
    [{ aliases: ['Biden', 3] }, 'aliases.1 Invalid input: expected string, received number'],
    [{ aliases: ['  '] }, 'aliases.0 must not be empty'],
    [{ aliases: ['Xi', 'Xi'] }, 'aliases must not repeat a name'],
  ])('rejects %j', (data, message) => {
    const thrown = thrownBy(() => validateEntityInput(data));
    expect(thrown).toBeInstanceOf(errors.ValidationError);
    expect((thrown as Error).message).toBe(message);
  });
});
