/** What a governing flow was asked to publish, and what it did: shared by every subject's flow. */
import type { Evaluation } from "../../core/engine/evaluate.js";
import type { Facts } from "../../core/engine/facts.js";
import type { CheckWrite } from "../publish/check-run.js";
import type { IssueFeedbackResult } from "../publish/issue-feedback.js";
import type { TrackingAction } from "../publish/tracking-issue.js";
import type { TrustedConfig } from "../read/config.js";

export interface PublishOptions {
  /** Publish a check run (default yes; the action makes it optional). */
  checkRun?: boolean;
  /** Write the check run even when GitHub already shows this verdict ("Re-run"). */
  force?: boolean;
}

export interface GovernResult {
  skipped?: string;
  evaluation?: Evaluation;
  /** For a repository: the configuration and facts it was judged on (the insights report reads them). */
  trusted?: TrustedConfig;
  facts?: Facts;
  checkRunId?: number;
  /** What publishing the check run wrote. */
  checkWrite?: CheckWrite;
  feedback?: IssueFeedbackResult;
  tracking?: TrackingAction;
}
