/** Builds the web application into its cache directory now (what the first `npm start` would do); prints the directory. */
import { ensureWebBuild } from '../src/app/web.ts';

process.stdout.write(`${await ensureWebBuild()}\n`);
