/** xmllint (Debian's libxml2-utils, installed by .ci/run): well-formedness, and validation against an XSD. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export const XSD_DIR = path.resolve(__dirname, '../fixtures/xsd');

export function xmllint(xml: string, schema?: string): { ok: boolean; output: string } {
  const args = ['--noout', ...(schema ? ['--schema', path.join(XSD_DIR, schema)] : []), '-'];
  const run = spawnSync('xmllint', args, { input: xml, encoding: 'utf8' });
  if (run.error) throw run.error;
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
}
