#!/usr/bin/env node
// The `handset` command: the compiled composition root does the work.
import '../build/src/app/main.js';
