// Copies the API's schema (schema/schema.graphql, generated and committed at the repository root)
// into the package, which publishes it as `@jointly/client/schema.graphql` for codegen against it.
import { copyFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const from = fileURLToPath(new URL('../../../schema/schema.graphql', import.meta.url));
const to = fileURLToPath(new URL('../schema.graphql', import.meta.url));
copyFileSync(from, to);
console.log(`copied ${from} to ${to}`);
