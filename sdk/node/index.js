'use strict';

const { Client, DEFAULT_BASE_URL } = require('./client.js');

// What setApiKey/setBaseUrl chose; anything left undefined falls back to the environment at each call.
const settings = { apiKey: undefined, baseUrl: undefined };

/**
 * Sets the API key used by executeCode for the whole process.
 * @param {string} apiKey
 */
function setApiKey(apiKey) {
  settings.apiKey = apiKey;
}

/**
 * Sets the service root used by executeCode for the whole process.
 * @param {string} baseUrl
 */
function setBaseUrl(baseUrl) {
  settings.baseUrl = baseUrl;
}

/**
 * Runs a snippet with the process-wide settings, as the seed does (`BuildE2E.executeCode({code, language})`).
 * @param {import('./types').ExecuteRequest} request
 * @returns {Promise<import('./types').ExecuteResult>}
 */
function executeCode(request) {
  return new Client(settings).executeCode(request);
}

// Written as one literal so that Node can see the names and offer them as named exports to `import` (index.mjs).
module.exports = { setApiKey, setBaseUrl, executeCode, Client, DEFAULT_BASE_URL, ...require('./errors.js') };
// The module object is also the default export, whichever way it is loaded: `import BuildE2E from` gets it from
// Node, and code transpiled from `import` that reads `require(...).default` gets it here.
module.exports.default = module.exports;
