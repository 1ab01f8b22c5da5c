import { defineAreaSuite } from '../src/runner/suite.ts';

defineAreaSuite('inputs');
