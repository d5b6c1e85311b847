import { fileURLToPath } from 'node:url';

/**
 * The repository's manifests/ folder: the QED base and profiles. This file sits at
 * packages/manifests/{src,dist}/, three levels below the repository root either way.
 * The published bundle (packages/qed-bootstrap) carries the folder as an asset and
 * puts in place of this module one that points there.
 */
export const QED_MANIFESTS_DIR = fileURLToPath(new URL('../../../manifests/', import.meta.url));
