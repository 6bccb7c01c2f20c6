#!/usr/bin/env node
// The built tool (`npm run build`); `npm run events -- <command>` builds it first.
require('../dist/apps/cli/src/main.js');
