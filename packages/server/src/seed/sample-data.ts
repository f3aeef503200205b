import fs from 'node:fs';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { parseBundleText } from '../import/parser/parse-bundle';
import { BundleError, type Bundle } from '../import/parser/bundle.types';
import type { ImportSummary } from '../import/importer/import-bundle';
import { importFiles } from '../import/import-files';

/** The sample bundles shipped with the server: the seed article (2021) and the 2019–2020 statements. */
export const SAMPLE_BUNDLES = ['seed.bundle.json', 'xinjiang-2019-2020.bundle.json'].map((name) =>
  path.resolve(__dirname, '..', '..', 'data', name),
);

export function readBundleFile(file: string): Bundle {
  const format = file.endsWith('.ndjson') ? 'ndjson' : 'json';
  const { bundle, problems } = parseBundleText(fs.readFileSync(file, 'utf8'), format);
  if (!bundle) throw new BundleError(file, problems);
  return bundle;
}

/** Imports bundle files in one transaction: all of them or nothing. */
export async function importBundles(dataSource: DataSource, files: string[], actor = 'cli'): Promise<ImportSummary[]> {
  return (await importFiles(dataSource, files, { actor })).map((f) => f.summary);
}

/** Loads the sample bundles when the archive holds no statement yet. Returns whether it did. */
export async function seedIfEmpty(dataSource: DataSource): Promise<boolean> {
  const [{ exists }] = await dataSource.query(`SELECT EXISTS (SELECT 1 FROM statement) AS exists`);
  if (exists) return false;
  await importBundles(dataSource, SAMPLE_BUNDLES, 'seed');
  return true;
}
