// A registry client logged in with the job's own variables, read through the Platform so secrets are masked.
import type { Platform } from '../platform/platform.js';
import { RegistryClient } from './client.js';
import { envCredentials } from './credentials.js';

/** A registry client with the job's credentials (REGISTRY_USERNAME/PASSWORD, or the platform's token). */
export function registryClient(platform: Platform): RegistryClient {
  // User names are not secrets: masking them would garble every log line that names the actor.
  const lookup = (name: string) => (/USER(NAME)?$|ACTOR$|^CI_REGISTRY$/.test(name) ? platform.env(name) : platform.secret(name));
  return new RegistryClient({ credentials: envCredentials(lookup) });
}
