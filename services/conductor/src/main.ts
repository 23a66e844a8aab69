import { runSplitModeConductor } from './split-mode';

runSplitModeConductor();
