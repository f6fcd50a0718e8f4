#!/usr/bin/env node
// Runs a command with the local development CA trusted (NODE_EXTRA_CA_CERTS).
// Node reads that variable only at start-up, so the CA must exist on disk before the
// command starts: this script creates it when missing, then starts the command.
'use strict';
const { spawn } = require('node:child_process');
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

function loadCertsModule() {
  const compiled = join(__dirname, '..', 'dist', 'src', 'fake-tenant', 'certs.js');
  if (existsSync(compiled)) return require(compiled);
  require('tsx/cjs');
  return require(join(__dirname, '..', 'src', 'fake-tenant', 'certs.ts'));
}

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: with-local-ca.js <command> [args...]');
  process.exit(2);
}
const certs = loadCertsModule();
const ca = certs.ensureLocalCa();
let bundle = ca.certPath;
const existing = process.env.NODE_EXTRA_CA_CERTS;
if (existing && existing !== ca.certPath && existsSync(existing)) {
  // Keep whatever the caller already trusted and add ours.
  bundle = join(require('node:path').dirname(ca.certPath), 'bundle.pem');
  writeFileSync(bundle, readFileSync(existing, 'utf8') + '\n' + ca.certPem);
}
const child = spawn(command, args, {
  stdio: 'inherit',
  shell: process.platform === 'win32',
  env: { ...process.env, NODE_EXTRA_CA_CERTS: bundle, LOCAL_CA_DIR: require('node:path').dirname(ca.certPath) },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
