// OCI registry access for the steps: image references, credentials from the job's variables, and the manifest
// operations a release needs (exists, read, write, re-tag).
export { parseImageRef, formatImageRef, withTag, isValidTag, isLoopback, DOCKER_HUB, type ImageRef } from './ref.js';
export { envCredentials, credentialHint, type RegistryAuth, type Lookup, type CredentialsFor } from './credentials.js';
export {
  RegistryClient,
  ImageNotFoundError,
  MANIFEST_TYPES,
  sha256,
  type Manifest,
  type RetagResult,
} from './client.js';
export type { RegistryOptions } from './session.js';
export { parseChallenges, type Challenge } from './challenge.js';
