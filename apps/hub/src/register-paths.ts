/**
 * Lets the compiled hub resolve the `@optline/*` aliases from dist/ at run time.
 * Imported first by every entry point (main, cli).
 */
import { resolve } from 'node:path';
import { register } from 'tsconfig-paths';
import { compilerOptions } from '../../../tsconfig.json';

register({ baseUrl: resolve(__dirname, '../../..'), paths: compilerOptions.paths });
