#!/usr/bin/env node
// The `jointly` command as npm links it at install time, before anything is built: it runs the
// compiled CLI in ../dist, or says how to build it.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const entry = path.join(__dirname, '..', 'dist', 'bin.js');
if (!fs.existsSync(entry)) {
  process.stderr.write('jointly: the command is not built yet: run `npm run build` in the repository first (npm start and npm test build it too)\n');
  process.exit(1);
}
require(entry);
