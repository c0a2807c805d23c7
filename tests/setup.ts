import { installFunctionsCore } from '../local/functions-core.js';
import { configureLog } from '../shared/platform/log.js';

// As on Azure, `@azure/functions` must find its core module before any function file registers.
installFunctionsCore();
// Keep test output readable; tests that check logs install their own sink.
configureLog({ level: 'error', sink: () => {} });
