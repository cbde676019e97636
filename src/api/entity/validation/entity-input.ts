/**
 * Rules Strapi's schema cannot say for an Entity: `aliases` is a list of distinct, non-empty
 * strings. Applied to every write through the Document Service (REST, GraphQL, admin), so bad
 * input is a 400 naming the field and nothing stored changes.
 */
import { errors } from '@strapi/utils';
import { z } from 'zod';

export const aliasesSchema = z
  .array(z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'), {
    error: 'must be a list of strings',
  })
  .max(50, 'must have at most 50 names')
  .refine((list) => new Set(list).size === list.length, 'must not repeat a name')
  .nullable();

export function validateEntityInput(data: Record<string, unknown> | undefined): void {
  if (!data || !('aliases' in data)) return;
  const result = aliasesSchema.safeParse(data.aliases);
  if (result.success) return;
  const issue = result.error.issues[0];
  const where = ['aliases', ...issue.path].join('.');
  throw new errors.ValidationError(`${where} ${issue.message}`, {
    errors: result.error.issues.map((i) => ({
      path: ['aliases', ...i.path.map(String)],
      message: i.message,
      name: 'ValidationError',
    })),
  });
}
