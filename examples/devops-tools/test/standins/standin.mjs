#!/usr/bin/env node
// Stands in for docker and kubectl (no engine or cluster exists here): records its arguments, one JSON array per
// line, in $STANDIN_LOG, and prints the canned answer $STANDIN_DIR/<program>.<first argument>.out if there is one.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

// STANDIN_PROGRAM: set by a wrapper that runs this file with a given node (the editor's PATH may have none).
const program = process.env.STANDIN_PROGRAM ?? basename(process.argv[1]);
const args = process.argv.slice(2);
appendFileSync(process.env.STANDIN_LOG, `${JSON.stringify([program, ...args])}\n`);
const canned = join(process.env.STANDIN_DIR, `${program}.${args[0]}.out`);
if (existsSync(canned)) process.stdout.write(readFileSync(canned, 'utf8'));
const code = join(process.env.STANDIN_DIR, `${program}.${args[0]}.exit`);
process.exitCode = existsSync(code) ? Number(readFileSync(code, 'utf8')) : 0;
