import { suiteAt } from '../lib/suite.mjs';

suiteAt('phone');
