/** One message, one invocation per run, per handler. */
export interface SingleScenario {
  kind: 'single';
  name: string;
  /** Message size in bytes. */
  size: number;
  wmflow: string;
  baseline: string;
  /**
   * Raw streaming copy of the same bytes through the same servers, as the budgets of issue 15 were set
   * against: the SDK's lib-storage Upload (5 MiB parts, one at a time).
   */
  floor?: string;
  /** The fastest raw copy: the download streamed into one PutObject of the announced length (informative). */
  streamFloor?: string;
  /**
   * The least a journal of issue 15's design can do: the streamed floor's copy, hashed, then the metadata
   * object once S3 has acknowledged the copy (informative: what the budgets against the floors and the
   * baseline ask of the design itself).
   */
  designFloor?: string;
  /** Check that the committed message still holds the attachment's bytes exactly (rewrites). */
  checkAttachment?: boolean;
}

/** Many mixed messages through one process per run: messages per second. */
export interface ThroughputScenario {
  kind: 'throughput';
  name: string;
  messages: number;
  wmflow: string;
  baseline: string;
  /** Download only, no rule: the ceiling the emulators, the SDK and the socket leave (informative). */
  floor?: string;
}

export type Scenario = SingleScenario | ThroughputScenario;

const MB = 1024 * 1024;
const WORKMAIL_MAX = 25 * 1000 * 1000; // WorkMail's 25 MB message limit

export const SCENARIOS: Scenario[] = [
  {
    kind: 'single',
    name: 'header-only rule, 10 kB',
    size: 10 * 1024,
    wmflow: 'wmflow-header-only',
    baseline: 'baseline-header-only',
  },
  {
    kind: 'single',
    name: 'header-only rule, 1 MB',
    size: MB,
    wmflow: 'wmflow-header-only',
    baseline: 'baseline-header-only',
  },
  {
    kind: 'single',
    name: 'header-only rule, 25 MB',
    size: WORKMAIL_MAX,
    wmflow: 'wmflow-header-only',
    baseline: 'baseline-header-only',
  },
  {
    kind: 'single',
    name: 'journal to S3, 1 MB',
    size: MB,
    wmflow: 'wmflow-journal',
    baseline: 'baseline-journal',
    floor: 'floor-copy',
    streamFloor: 'floor-stream',
    designFloor: 'floor-stream-metadata',
  },
  {
    kind: 'single',
    name: 'journal to S3, 25 MB',
    size: WORKMAIL_MAX,
    wmflow: 'wmflow-journal',
    baseline: 'baseline-journal',
    floor: 'floor-copy',
    streamFloor: 'floor-stream',
    designFloor: 'floor-stream-metadata',
  },
  {
    kind: 'single',
    name: 'banner + subject tag, 25 MB (18 MB attachment)',
    size: WORKMAIL_MAX,
    wmflow: 'wmflow-edit',
    baseline: 'baseline-edit',
    floor: 'floor-copy',
    streamFloor: 'floor-stream',
    checkAttachment: true,
  },
  {
    kind: 'throughput',
    name: '10-rule policy, 1,000 mixed messages',
    messages: 1000,
    wmflow: 'wmflow-policy',
    baseline: 'baseline-policy',
    floor: 'floor-fetch',
  },
];
