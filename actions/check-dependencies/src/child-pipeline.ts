// The GitLab child pipeline of a deploy in waves, for `trigger: include: - artifact:` in the parent pipeline.
import { dump } from 'js-yaml';
import { ConfigError } from '../../../shared/src/errors.js';
import type { ServicePipeline } from '../../../shared/src/graph/remote.js';
import { cliScript } from '../../../shared/src/gitlab/cli-script.js';
import { isName } from '../../../shared/src/inputs-check.js';
import { gitlabVars } from '../../../shared/src/platform/variables.js';
import { plural } from '../../../shared/src/text.js';

/** What shapes the child pipeline besides the waves. */
export interface ChildPipelineOptions {
  /** Hidden job every service's job extends (`.deploy-service`). */
  extends: string;
  /** Repository files the child includes, e.g. the one that defines `extends`. */
  include: string[];
  /** Where the plan came from, named in the file's header. */
  source: string;
  /** Services whose pipeline lives in another project: each gets a bridge job instead of a job extending `extends`. */
  remote?: Map<string, ServicePipeline>;
  /** The dependency configuration those gates read (it names the services in other projects). */
  config?: string;
  /** What the services deploy, forwarded in SHIPGATE_VERSION; may be a CI/CD variable such as the commit's (the default). */
  version?: string;
}

export const STATUS_DIR = 'shipgate-status';
export const gateJob = (wave: number) => `shipgate-wave-${wave}-gate`;
export const SUMMARY_JOB = 'shipgate-summary';
// Prefixed, so that no service name is a GitLab keyword (`cache`, `pages`, `variables`) or another job's name.
export const serviceJob = (service: string) => `deploy-${service}`;

/**
 * Each gate collects the status every service job recorded (`after_script`, the job status variable) for the waves up to
 * GATE_WAVE, writes the summary, and fails when one is not `success`, so later waves, which need it, do not start.
 * GitLab runs a `when: always` gate after a failure; gitlab-ci-local stops at the first gate that fails, which
 * therefore writes the complete summary itself.
 */
const GATE_SCRIPT = `stopped=""
for entry in $DEPLOY_PLAN; do
  wave=\${entry%%:*}; service=\${entry#*:}
  [ "$wave" -le "$GATE_WAVE" ] || continue
  status=$(cat "${STATUS_DIR}/$service" 2>/dev/null || echo "not started")
  [ "$status" = success ] || stopped="\${stopped:+$stopped, }$service ($status)"
done
{
  echo "### Deploy of $DEPLOY_TITLE: status after wave $GATE_WAVE"
  echo
  echo "| Wave | Service | Status |"
  echo "|---|---|---|"
  for entry in $DEPLOY_PLAN; do
    wave=\${entry%%:*}; service=\${entry#*:}
    if [ "$wave" -gt "$GATE_WAVE" ]; then
      if [ -n "$stopped" ]; then status="⏸ paused"; else status="⏳ next"; fi
    else
      case "$(cat "${STATUS_DIR}/$service" 2>/dev/null || echo none)" in
        success) status="✅ deployed" ;;
        failed) status="❌ failed" ;;
        canceled) status="⛔ canceled" ;;
        *) status="⏸ not started" ;;
      esac
      # A service in its own project: the gate's collect step left the downstream pipeline's address.
      url=$(cat "${STATUS_DIR}/$service.url" 2>/dev/null || true)
      [ -z "$url" ] || status="$status ([pipeline]($url))"
    fi
    echo "| $wave | $service | $status |"
  done
  echo
  if [ -n "$stopped" ]; then
    echo "**Deployment paused after wave $GATE_WAVE:** $stopped. Later waves do not start."
  elif [ "$GATE_WAVE" -lt "$WAVE_COUNT" ]; then
    echo "Wave $GATE_WAVE deployed; wave $((GATE_WAVE + 1)) starts."
  else
    echo "**All services deployed.**"
  fi
} > shipgate-summary.md
cat shipgate-summary.md
[ -z "$stopped" ]`;

/** Image of the gates that read downstream pipelines: they run Shipgate, which needs Node.js. */
const DOWNSTREAM_GATE_IMAGE = 'node:24-slim';

/**
 * A service in its own project: a bridge job that starts the project's pipeline on `ref` (default: this pipeline's
 * ref) and, with `strategy: depend`, takes its status; GitLab cancels the downstream pipeline when this one is cancelled.
 * Bridge jobs have no script, artifacts or after_script, so the gate after the wave reads their statuses instead.
 */
function bridgeJob(
  service: string,
  wave: number,
  pipeline: ServicePipeline,
  version = `$${gitlabVars.commitSha}`,
): Record<string, unknown> {
  return {
    stage: `wave-${wave}`,
    needs: wave === 1 ? [] : [gateJob(wave - 1)],
    // The user's variables first: Shipgate's own names win (the config check forbids SHIPGATE_ names anyway).
    variables: {
      ...pipeline.variables,
      SHIPGATE_WAVE: String(wave),
      SHIPGATE_SERVICE: service,
      SHIPGATE_VERSION: version,
    },
    trigger: { project: pipeline.project, branch: pipeline.ref ?? `$${gitlabVars.refName}`, strategy: 'depend' },
  };
}

/** Checks what the child pipeline will name, before anything is written. */
export function checkChildPipeline(waves: string[][], opts: Pick<ChildPipelineOptions, 'extends'>): void {
  if (!/^\.[^\s'"]+$/.test(opts.extends)) {
    throw new ConfigError(
      `Input 'child-extends' is '${opts.extends}'. Expected the name of a hidden job, starting with a dot, e.g. .deploy-service.`,
    );
  }
  for (const service of waves.flat()) {
    // Service names become job names, shell words and file names; dependency-config.yml is checked with the same shape.
    if (!isName('service', service)) {
      throw new ConfigError(
        `Service '${service}' cannot name a job of the child pipeline (input 'child-pipeline'). Use letters, digits, '.', '_' and '-', starting with a letter or digit.`,
      );
    }
  }
}

/** The child pipeline: stage `wave-<n>` per wave, job `deploy-<service>` per service, a gate after each wave, `shipgate-summary` last. */
export function childPipeline(waves: string[][], opts: ChildPipelineOptions): string {
  const doc: Record<string, unknown> = {};
  if (opts.include.length) doc.include = opts.include.map((local) => ({ local }));
  const count = waves.length;
  doc.stages = [...waves.map((_, i) => `wave-${i + 1}`), 'summary'];
  doc['.shipgate-gate'] = {
    when: 'always',
    variables: {
      DEPLOY_PLAN: waves.flatMap((w, i) => w.map((s) => `${i + 1}:${s}`)).join(' '),
      WAVE_COUNT: String(count),
      DEPLOY_TITLE: `${plural(waves.flat().length, 'service')} in ${plural(count, 'wave')}`,
    },
    script: [GATE_SCRIPT],
    artifacts: { when: 'always', paths: ['shipgate-summary.md', `${STATUS_DIR}/`] },
  };
  if (!count) {
    doc[SUMMARY_JOB] = {
      stage: 'summary',
      script: ['echo "Nothing to deploy: no service is affected by the change." | tee shipgate-summary.md'],
    };
  }
  const remote = opts.remote ?? new Map<string, ServicePipeline>();
  const hasRemote = waves.some((w) => w.some((s) => remote.has(s)));
  if (hasRemote) {
    // Bridge jobs keep no status file: this gate reads their downstream pipelines through the API first.
    doc['.shipgate-downstream-gate'] = {
      extends: '.shipgate-gate',
      image: DOWNSTREAM_GATE_IMAGE,
      // Inputs travel as SHIPGATE_* variables, never inside the script line.
      variables: {
        SHIPGATE_CONFIG: opts.config ?? 'dependency-config.yml',
        SHIPGATE_CHECK_HEALTH: 'false',
        SHIPGATE_COLLECT_DOWNSTREAM: 'true',
      },
      // The trigger job of the multi-service component passes its CLI variables (the loader, commit, files and hashes) to this pipeline.
      before_script: [cliScript('check-dependencies')],
    };
  }
  waves.forEach((wave, i) => {
    const n = i + 1;
    for (const service of wave) {
      const pipeline = remote.get(service);
      doc[serviceJob(service)] = pipeline
        ? bridgeJob(service, n, pipeline, opts.version)
        : {
            stage: `wave-${n}`,
            extends: opts.extends,
            // The previous gate decides; a service job needs nothing else, so a wave starts as soon as it may.
            needs: n === 1 ? [] : [gateJob(n - 1)],
            variables: { SERVICE: service, WAVE: String(n) },
            after_script: [`mkdir -p ${STATUS_DIR} && echo "$${gitlabVars.jobStatus}" > ${STATUS_DIR}/${service}`],
            artifacts: { when: 'always', paths: [`${STATUS_DIR}/`] },
          };
    }
    const last = n === count;
    // Every gate from the first wave with a bridge on reads the downstream pipelines, so the summary links them all.
    const downstream = waves.slice(0, n).some((w) => w.some((s) => remote.has(s)));
    doc[last ? SUMMARY_JOB : gateJob(n)] = {
      extends: downstream ? '.shipgate-downstream-gate' : '.shipgate-gate',
      stage: last ? 'summary' : `wave-${n}`,
      needs: [...(n > 1 ? [gateJob(n - 1)] : []), ...wave.map(serviceJob)],
      variables: { GATE_WAVE: String(n) },
    };
  });
  const header = `# Generated by shipgate check-dependencies from ${opts.source}: the child pipeline of a deploy in ${plural(count, 'wave')}.\n`;
  return header + dump(doc, { lineWidth: -1, noRefs: true });
}
