import { defineConfig } from 'vitest/config';
import { unitProject, withFailureReport } from '../../vitest.shared.js';

export default defineConfig(withFailureReport(unitProject()));
