// The published build: ESM (dist/index.js, .d.ts) and CommonJS (dist/index.cjs, .d.cts) bundles of
// src/index.ts. graphql (peer) and @graphql-typed-document-node/core stay external.
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  tsconfig: 'tsconfig.build.json',
  target: 'es2022',
  platform: 'neutral',
  clean: true,
  sourcemap: false,
  splitting: false,
  treeshake: true,
});
