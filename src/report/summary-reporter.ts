/**
 * Playwright reporter that writes summary.json, junit.xml and index.html into the report dir.
 * It only reads: each rule test attached its RuleResult; this collects and presents them.
 * Works on live runs and on `merge-reports` of sharded blobs (it keys on project.metadata).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { leftoversFile } from '../harness/teardown.ts';
import { join } from 'node:path';
import type { FullConfig, FullResult, Reporter, Suite, TestCase, TestResult } from '@playwright/test/reporter';
import { loadTargets } from '../config/load.ts';
import type { DiscoveryReport, Target } from '../config/target.ts';
import type { RuleResult } from '../harness/evaluate.ts';
import type { ProjectMetadata } from '../harness/fixtures.ts';
import { RESULT_ATTACHMENT } from '../harness/suite.ts';
import { runPaths } from '../harness/paths.ts';
import { ruleById } from '../rules/registry.ts';
import type { Profile } from '../rules/types.ts';
import { applicability } from '../harness/applicability.ts';
import { toHtml } from './html.ts';
import { toJunit } from './junit.ts';
import { buildSummary, type TargetRun } from './summary.ts';

interface Attached {
  result: RuleResult;
  recording: { sentByMethod: Record<string, number>; leftovers: string[]; target: string; baseUrl: string; profile: string; discovery?: DiscoveryReport };
}

/** Items the global teardown could not delete after a worker died (see harness/teardown.ts). */
function orphansLeft(workDir: string, target: string): string[] {
  const file = leftoversFile(workDir, target);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as string[]) : [];
}

export default class SummaryReporter implements Reporter {
  private config?: FullConfig;
  private readonly startedAt = new Date();
  private readonly results = new Map<string, Map<string, RuleResult>>();
  private readonly recordings = new Map<string, Attached['recording']>();
  private readonly died = new Set<string>();

  constructor(private readonly options: { outputDir?: string } = {}) {}

  printsToStdio(): boolean {
    return false;
  }

  onBegin(config: FullConfig, _suite: Suite): void {
    this.config = config;
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    const project = test.parent.project()?.name ?? '';
    const attachment = result.attachments.find((a) => a.name === RESULT_ATTACHMENT);
    let rule: RuleResult | undefined;
    if (attachment?.body) {
      const attached = JSON.parse(attachment.body.toString('utf8')) as Attached;
      rule = attached.result;
      this.recordings.set(project, attached.recording);
    } else {
      // The test died before judging (a fixture failed): the rule could not be judged.
      const known = ruleById(test.title);
      if (!known) return;
      const message = result.error?.message?.split('\n')[0] ?? `test ${result.status}`;
      // Severity is settled in onEnd, where the target's overrides are known.
      rule = {
        id: known.id, area: known.area, title: known.title, expectation: known.expectation,
        severity: known.severity.platform, status: 'error', reason: 'inconclusive', message: `could not judge: ${message}`, evidence: [],
      };
      this.died.add(`${project}\u0000${known.id}`);
    }
    if (!this.results.has(project)) this.results.set(project, new Map());
    this.results.get(project)!.set(rule.id, rule);
  }

  onEnd(result: FullResult): void {
    const config = this.config!;
    const { reportDir, workDir } = runPaths();
    const outDir = this.options.outputDir ?? reportDir;
    const runs: TargetRun[] = config.projects.map((project) => {
      const meta = project.metadata as Partial<ProjectMetadata>;
      const name = project.name;
      let target: Target | undefined;
      try {
        target = meta.targetsFile ? loadTargets(meta.targetsFile).find((t) => t.name === (meta.target ?? name)) : undefined;
      } catch {
        target = undefined;
      }
      const rec = this.recordings.get(name);
      const results = new Map(this.results.get(name) ?? []);
      for (const [id, result] of results) {
        if (!this.died.has(`${name}\u0000${id}`)) continue;
        const rule = ruleById(id)!;
        const severity = target ? applicability(rule, target).severity : rule.severity[(meta.profile ?? 'platform') as Profile];
        results.set(id, { ...result, severity });
      }
      return {
        name,
        ...(target ? { target } : {}),
        baseUrl: rec?.baseUrl ?? meta.baseUrl ?? target?.baseUrl ?? '',
        profile: rec?.profile ?? meta.profile ?? target?.profile ?? '',
        results,
        sentByMethod: rec?.sentByMethod ?? {},
        leftovers: [...(rec?.leftovers ?? []), ...orphansLeft(workDir, name)],
        ...(rec?.discovery ? { discovery: rec.discovery } : {}),
      };
    });
    const summary = buildSummary(runs, this.startedAt, result.duration);
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
    writeFileSync(join(outDir, 'junit.xml'), toJunit(summary));
    writeFileSync(join(outDir, 'index.html'), toHtml(summary, { playwrightReport: 'playwright/index.html' }));
    rmSync(workDir, { recursive: true, force: true });
  }
}
