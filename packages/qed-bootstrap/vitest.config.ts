import { defineConfig } from 'vitest/config';
import { unitAndIntegrationProjects } from '../../vitest.shared.js';

export default defineConfig(unitAndIntegrationProjects({ minikube: true }));
