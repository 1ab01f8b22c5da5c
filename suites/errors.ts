import { defineAreaSuite } from '../src/harness/suite.ts';

defineAreaSuite('errors');
