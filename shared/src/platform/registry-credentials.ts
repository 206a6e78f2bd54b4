// Which of the job's variables log in to which registry. Platform.registryCredentials passes a lookup that masks
// secrets (platform.secret); nothing here reads process.env. It lives with the platforms because these are CI
// variable names; the registry client only sees the resulting CredentialsFor.
//
//   REGISTRY_HOST         REGISTRY_USERNAME + REGISTRY_PASSWORD (preferred when both are set); without REGISTRY_HOST,
//   (or the step's first  they log in to the registry of the first image the step names, and to no other: an image
//    image's registry)    on another registry must not receive them
//   ghcr.io               GITHUB_TOKEN, user GITHUB_ACTOR (GHCR accepts any user name with a token)
//   GitLab's registry     CI_REGISTRY_USER + CI_REGISTRY_PASSWORD, else gitlab-ci-token + CI_JOB_TOKEN,
//   (host = CI_REGISTRY)  the pair GitLab puts into every job for its own registry
//   anything else         anonymous (public images; a 401 then names the variables to set)

/** A user name and password (or token) for one registry. */
export interface RegistryAuth {
  username: string;
  password: string;
  /** Which variables they came from, for messages: e.g. `REGISTRY_USERNAME/REGISTRY_PASSWORD`. */
  source: string;
}

/** Reads one variable (a secret); undefined or '' when unset. */
export type Lookup = (name: string) => string | undefined;

/** Credentials for a registry host, or undefined to go anonymous. */
export type CredentialsFor = (registry: string) => RegistryAuth | undefined;

/** The mapping above as a function of the registry host. */
export function envCredentials(lookup: Lookup, home?: string): CredentialsFor {
  return (registry) => {
    const username = lookup('REGISTRY_USERNAME');
    const password = lookup('REGISTRY_PASSWORD');
    const scope = lookup('REGISTRY_HOST') || home;
    if (username && password && (!scope || sameHost(scope, registry)))
      return { username, password, source: 'REGISTRY_USERNAME/REGISTRY_PASSWORD' };
    if (registry === 'ghcr.io') {
      const token = lookup('GITHUB_TOKEN');
      if (token) return { username: lookup('GITHUB_ACTOR') || 'token', password: token, source: 'GITHUB_TOKEN' };
    }
    const gitlab = lookup('CI_REGISTRY');
    if (gitlab && sameHost(gitlab, registry)) {
      const user = lookup('CI_REGISTRY_USER');
      const pass = lookup('CI_REGISTRY_PASSWORD');
      if (user && pass) return { username: user, password: pass, source: 'CI_REGISTRY_USER/CI_REGISTRY_PASSWORD' };
      const job = lookup('CI_JOB_TOKEN');
      if (job) return { username: 'gitlab-ci-token', password: job, source: 'CI_JOB_TOKEN' };
    }
    return undefined;
  };
}

/** What to tell a user whose request was refused: the variables that would log in to this registry. */
export function credentialHint(registry: string): string {
  const generic = `set REGISTRY_USERNAME and REGISTRY_PASSWORD (with REGISTRY_HOST=${registry} when it is not the first image's registry)`;
  if (registry === 'ghcr.io') return `${generic}, or pass GITHUB_TOKEN with 'packages: write' permission`;
  if (registry === 'docker.io') return `${generic} (a Docker Hub user and access token)`;
  return `${generic} (on GitLab's own registry CI_REGISTRY_USER/CI_REGISTRY_PASSWORD or CI_JOB_TOKEN are used when CI_REGISTRY names it)`;
}

function sameHost(a: string, b: string): boolean {
  const norm = (s: string) =>
    s
      .replace(/^[a-z]+:\/\//i, '')
      .replace(/\/+$/, '')
      .toLowerCase();
  return norm(a) === norm(b);
}
