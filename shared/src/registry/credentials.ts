// The registry's view of credentials: per host, a user and password, or anonymous. Which job variables give them is
// platform knowledge (shared/src/platform/registry-credentials.ts).
export {
  credentialHint,
  envCredentials,
  type CredentialsFor,
  type Lookup,
  type RegistryAuth,
} from '../platform/registry-credentials.js';
