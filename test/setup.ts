import { composeModules } from '../src/app/compose.ts';

// Every test worker wires the modules as the server and the CLI do (src/app/compose.ts), so tests
// that call services directly see the same person visibility and cross-module reactions.
composeModules();
