'use strict';
// What the corpus needs to know about the service under test, read once from the environment that
// scripts/test-hostile.sh (through scripts/test-env.sh) prepares. Secrets are read here so the runner can prove that
// no snippet ever sees them; they are never printed.
const fs = require('node:fs');
const crypto = require('node:crypto');

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the corpus through scripts/test-hostile.sh`);
  return value;
}

// The root line of the host's /etc/shadow: if any snippet can print it, the jail leaked a host file.
function hostShadowRootEntry() {
  try {
    const line = fs.readFileSync('/etc/shadow', 'utf8').split('\n').find((l) => l.startsWith('root:'));
    return line && line.length > 10 ? line : null;
  } catch {
    return null;
  }
}

function loadConfig() {
  const url = new URL(required('SANDBOX_TEST_URL'));
  const apiKey = required('SANDBOX_TEST_API_KEY');
  const secrets = [
    ['API key', apiKey],
    ['bootstrap API key', process.env.SANDBOX_BOOTSTRAP_API_KEY],
    ['DB password', process.env.SANDBOX_DB_PASSWORD],
    ['canary variable', process.env.HOSTILE_CANARY],
    ['host /etc/shadow', hostShadowRootEntry()],
  ].filter(([, value]) => value && value.length >= 6);
  return {
    baseUrl: url.origin,
    servicePort: Number(url.port),
    apiKey,
    secrets,
    agentSocket: process.env.SANDBOX_AGENT_SOCKET || '/run/kata-agent/agent.sock',
    // Marks every file a snippet drops, so leftovers on the host can be recognised among other programs' files.
    marker: `hostile-${crypto.randomBytes(6).toString('hex')}`,
    concurrency: Number(process.env.HOSTILE_CONCURRENCY || 4),
  };
}

module.exports = { loadConfig };
