/** jest's setup file: every test file starts in the test environment (environment.ts), with secrets of its own. */
import { testEnvironment } from './environment';

Object.assign(process.env, testEnvironment());
