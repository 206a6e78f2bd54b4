// A registry client logged in with the job's own variables, read through the Platform so secrets are masked.
import type { Platform } from '../platform/platform.js';
import { RegistryClient } from './client.js';

/**
 * A registry client with the job's credentials (REGISTRY_USERNAME/PASSWORD, or the platform's token). `home` is the
 * registry of the step's first image: REGISTRY_USERNAME/PASSWORD go there only, unless REGISTRY_HOST names another.
 * `insecureRealm` is the user's opt-in to a token service over plain http.
 */
export function registryClient(
  platform: Platform,
  opts: { home?: string; insecureRealm?: boolean } = {},
): RegistryClient {
  return new RegistryClient({
    credentials: platform.registryCredentials(opts.home),
    insecureRealm: opts.insecureRealm,
  });
}
