import { fileURLToPath } from 'node:url';

/**
 * The repository's manifests/ folder: the QED base and profiles. This file sits at
 * packages/manifests/{src,dist}/, three levels below the repository root either way.
 */
export const QED_MANIFESTS_DIR = fileURLToPath(new URL('../../../manifests/', import.meta.url));
