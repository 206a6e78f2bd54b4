/**
 * The script line of a GitLab job that runs a Shipgate step: `$SHIPGATE_CLI_LOADER` (set by the component, see
 * scripts/distribution.ts) fetches the CLI bundle of the component's commit, checks its SHA-256 and runs it. An empty
 * loader would make `node -e` succeed without running anything, so the line fails first when it is missing.
 */
export const cliScript = (step: string): string =>
  `test -n "$SHIPGATE_CLI_LOADER" || { echo "shipgate: SHIPGATE_CLI_LOADER is empty: run this job from a pipeline that includes Shipgate as a component."; exit 1; }; node --input-type=module -e "$SHIPGATE_CLI_LOADER" ${step}`;
