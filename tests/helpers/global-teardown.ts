/** Drops the run's template databases (global-setup.ts). */
import path from 'node:path';
import { removeTemplates } from './templates';

export default async function globalTeardown(): Promise<void> {
  await removeTemplates(path.resolve(__dirname, '../..'));
}
