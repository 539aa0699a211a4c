import { advisorPlugin } from './lab/plugin';

export default [advisorPlugin];
