export { type ContentTag, type ContentTagInput, computeContentTag, contextFileFilter, listContextFiles } from './content-tag.js';
export {
  type HttpClient,
  type HttpResponseLike,
  type ManifestLookup,
  fetchHttpClient,
  lookupManifest,
  MANIFEST_ACCEPT,
} from './registry-client.js';
export {
  type BuildImage,
  type ImageAction,
  type ImagePlan,
  type KeepRemoteImage,
  type MirrorImage,
  type MissingContextImage,
  type PlanImagesDeps,
  type PlanImagesOptions,
  type PlannedImage,
  type SkipImage,
  planImages,
  sourceTag,
} from './plan-images.js';
export {
  type ApplyImagesDeps,
  type ApplyImagesOptions,
  type ImageEvent,
  type ImageResult,
  type ImageStatus,
  applyImage,
  applyImages,
  buildArgs,
  DEFAULT_CONCURRENCY,
} from './apply-images.js';
export { type ImagesRenderer, type ImagesTasksContext, type ImagesTasksOptions, imagesTasks } from './images-tasks.js';
export { imageRefs, plannedImageRefs, readImageRefs, updateImageRef, writeImageRefs } from './image-refs.js';
