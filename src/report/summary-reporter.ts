/**
 * Playwright reporter that writes summary.json, junit.xml and index.html into the report dir.
 * It only reads: each target's test attached one RuleResult per rule it judged; this collects them, applies the
 * waivers (policy/apply-waivers.ts), records the run in the history folder and presents.
 *
 * Works on live runs and on `merge-reports` of sharded blobs: it keys on project.metadata
 * (project.use is gone after a merge), and a merge hands it one project object per shard
 * and target, so the projects are folded by name and each shard's requests are added up.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FullConfig, FullProject, FullResult, Reporter, Suite, TestCase, TestResult } from '@playwright/test/reporter';
import { loadTargets } from '../config/load.ts';
import type { Target } from '../config/target.ts';
import {
  EXCHANGES_ATTACHMENT,
  type ExchangesAttachment,
  harWanted,
  RESULT_ATTACHMENT,
  SELECTION_ATTACHMENT,
  unjudgedResult,
  type AttachedRecording,
  type ProjectMetadata,
  type ResultAttachment,
} from '../harness/contract.ts';
import type { RuleResult } from '../harness/evaluate.ts';
import { runPaths } from '../harness/paths.ts';
import { leftoversFile } from '../harness/teardown.ts';
import { applyWaivers } from '../policy/apply-waivers.ts';
import { formatWaiverProblem, loadWaivers, WaiverFileError, waiversPath } from '../policy/waivers.ts';
import { CATALOGUE } from '../spec/catalogue.ts';
import type { Summary } from '../spec/summary.ts';
import type { Profile } from '../spec/vocabulary.ts';
import { diffSummaries } from './diff.ts';
import { historySettings, previousRun, readHistory, recordHistory, trendOf } from './history.ts';
import { toHtml } from './html.ts';
import { toJunit } from './junit.ts';
import { buildSummary, type TargetRun } from './summary.ts';
import { severityFor } from '../policy/applicability.ts';
import { exchangesToHar, mergeHar } from './har.ts';
import { Redactor } from '../http/redact.ts';
import type { Har } from 'har-format';

const catalogueEntry = new Map(CATALOGUE.map((e) => [e.id, e]));

/** Items the global teardown could not delete after a worker died (see harness/teardown.ts). */
function orphansLeft(workDir: string, target: string): string[] {
  const file = leftoversFile(workDir, target);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as string[]) : [];
}

export default class SummaryReporter implements Reporter {
  private config?: FullConfig;
  private readonly results = new Map<string, Map<string, RuleResult>>();
  /** One recording per project object: per target in a live run, per target and shard after a merge. */
  private readonly recordings = new Map<FullProject | string, AttachedRecording>();
  private readonly died = new Set<string>();
  /** Each target's exchanges (`run --har`), one per target and shard. */
  private readonly exchanges: ExchangesAttachment[] = [];

  constructor(private readonly options: { outputDir?: string } = {}) {}

  printsToStdio(): boolean {
    return false;
  }

  onBegin(config: FullConfig, _suite: Suite): void {
    this.config = config;
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    const projectObject = test.parent.project();
    const project = projectObject?.name ?? '';
    const exchanges = result.attachments.find((a) => a.name === EXCHANGES_ATTACHMENT);
    const text =
      exchanges?.body?.toString('utf8') ??
      (exchanges?.path && existsSync(exchanges.path) ? readFileSync(exchanges.path, 'utf8') : undefined);
    if (text) this.exchanges.push(JSON.parse(text) as ExchangesAttachment);
    if (!this.results.has(project)) this.results.set(project, new Map());
    const results = this.results.get(project)!;
    // The target's one test attaches the rules it selected, then one result per rule judged.
    let selection: string[] | undefined;
    for (const a of result.attachments) {
      if (!a.body) continue;
      if (a.name === SELECTION_ATTACHMENT) selection = JSON.parse(a.body.toString('utf8')) as string[];
      if (a.name !== RESULT_ATTACHMENT) continue;
      const attached = JSON.parse(a.body.toString('utf8')) as ResultAttachment;
      this.recordings.set(projectObject ?? project, attached.recording);
      results.set(attached.result.id, attached.result);
    }
    // Rules the test selected (or, when it died before saying, the rules its tags name) without a
    // result could not be judged: the test timed out or its worker died.
    const expected = selection ?? test.tags.map((t) => t.slice(1)).filter((id) => catalogueEntry.has(id));
    const message = result.error?.message?.split('\n')[0] ?? `test ${result.status}`;
    for (const id of expected) {
      const known = catalogueEntry.get(id);
      if (!known || results.has(id)) continue;
      // Severity is settled in onEnd, where the target's overrides are known.
      results.set(
        id,
        unjudgedResult(known, {
          severity: known.severity.platform,
          status: 'error',
          reason: 'inconclusive',
          message: `could not judge: ${message}`,
        }),
      );
      this.died.add(`${project}\u0000${known.id}`);
    }
  }

  /** Every exchange of the run as one HAR, redacted again with each target's secrets where the targets file is at hand. */
  private har(runs: readonly TargetRun[]): Har {
    return mergeHar(
      this.exchanges.map((a) => {
        const target = runs.find((r) => r.name === a.target)?.target;
        return exchangesToHar(a.exchanges, { target: a.target, ...(target ? { redactor: new Redactor(target.secrets) } : {}) });
      }),
    );
  }

  onEnd(result: FullResult): void {
    const config = this.config!;
    const { reportDir, workDir } = runPaths();
    const outDir = this.options.outputDir ?? reportDir;
    const names = [...new Set(config.projects.map((p) => p.name))];
    const runs: TargetRun[] = names.map((name) => {
      const projects = config.projects.filter((p) => p.name === name);
      const meta = (projects[0]?.metadata ?? {}) as Partial<ProjectMetadata>;
      let target: Target | undefined;
      try {
        target = meta.targetsFile ? loadTargets(meta.targetsFile).find((t) => t.name === (meta.target ?? name)) : undefined;
      } catch {
        target = undefined; // e.g. a merge job without the shards' environment: the catalogue's severities apply
      }
      const recs = [...this.recordings].filter(([key]) => (typeof key === 'string' ? key : key.name) === name).map(([, r]) => r);
      const sentByMethod: Record<string, number> = {};
      for (const r of recs)
        for (const [method, n] of Object.entries(r.sentByMethod)) sentByMethod[method] = (sentByMethod[method] ?? 0) + n;
      const results = new Map(this.results.get(name) ?? []);
      for (const [id, result] of results) {
        if (!this.died.has(`${name}\u0000${id}`)) continue;
        const rule = catalogueEntry.get(id)!;
        const severity = target ? severityFor(rule, target) : rule.severity[(meta.profile ?? 'platform') as Profile];
        results.set(id, { ...result, severity });
      }
      return {
        name,
        ...(target ? { target } : {}),
        baseUrl: recs[0]?.baseUrl ?? meta.baseUrl ?? target?.baseUrl ?? '',
        profile: recs[0]?.profile ?? meta.profile ?? target?.profile ?? '',
        results,
        sentByMethod,
        leftovers: [...new Set([...recs.flatMap((r) => r.leftovers), ...orphansLeft(workDir, name)])],
        ...(recs[0]?.discovery ? { discovery: recs[0].discovery } : {}),
        ...(recs[0]?.inputs ? { inputs: recs[0].inputs } : target ? { inputs: target.inputs } : {}),
      };
    });
    const summary = withWaivers(buildSummary(runs, result.startTime, result.duration));

    // Shards do not write history: the merged report does, once for the whole run.
    const history = config.shard ? undefined : historySettings(outDir);
    const past = history ? readHistory(history.dir).entries : [];
    const previous = previousRun(past, summary);
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
    writeFileSync(join(outDir, 'junit.xml'), toJunit(summary));
    // A merge of shards has no --har of its own: the parts' HAR attachments say it was asked for.
    if (this.exchanges.length || harWanted()) writeFileSync(join(outDir, 'exchanges.har'), JSON.stringify(this.har(runs)));
    writeFileSync(
      join(outDir, 'index.html'),
      toHtml(summary, {
        playwrightReport: 'playwright/index.html',
        ...(history ? { trend: trendOf(past, summary, history.keep) } : {}),
        ...(previous ? { changes: diffSummaries(previous.summary, summary) } : {}),
      }),
    );
    if (history) recordHistory(history.dir, summary, history.keep);
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** Applies the run's waivers; a waivers file that cannot be used is reported, and waives nothing. */
function withWaivers(summary: Summary): Summary {
  const file = waiversPath(undefined);
  if (!file) return summary;
  try {
    return applyWaivers(summary, loadWaivers(file));
  } catch (e) {
    if (!(e instanceof WaiverFileError)) throw e;
    process.stderr.write(`waivers not applied:\n${e.problems.map(formatWaiverProblem).join('\n')}\n`);
    return { ...summary, waivers: { file, applied: 0, problems: e.problems } };
  }
}
