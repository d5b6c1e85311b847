import { type AnyBootstrapStep, anyStep } from '../pipeline-types.js';
import { applyStep } from './apply-step.js';
import { clusterStep } from './cluster-step.js';
import { dockerConfigStep } from './docker-config-step.js';
import { doctorStep } from './doctor-step.js';
import { imagesStep } from './images-step.js';
import { manifestsStep } from './manifests-step.js';
import { registryStep } from './registry-step.js';
import { summaryStep } from './summary-step.js';
import { waitStep } from './wait-step.js';

/** The steps in STEP_IDS order. */
export const BOOTSTRAP_STEPS: readonly AnyBootstrapStep[] = [
  anyStep(doctorStep),
  anyStep(clusterStep),
  anyStep(registryStep),
  anyStep(dockerConfigStep),
  anyStep(imagesStep),
  anyStep(manifestsStep),
  anyStep(applyStep),
  anyStep(waitStep),
  anyStep(summaryStep),
];
