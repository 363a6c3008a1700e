package dev.sextant.server;

import dev.sextant.server.audit.AuditLog;
import dev.sextant.server.auth.AuthService;
import dev.sextant.server.comments.CommentService;
import dev.sextant.server.datasets.DatasetService;
import dev.sextant.server.db.Database;
import dev.sextant.server.evaluators.EvaluatorService;
import dev.sextant.server.experiments.ExperimentService;
import dev.sextant.server.evaluators.ScoreService;
import dev.sextant.server.feedback.FeedbackService;
import dev.sextant.server.jobs.JobQueue;
import dev.sextant.server.models.ModelGateway;
import dev.sextant.server.monitoring.AlertService;
import dev.sextant.server.monitoring.MetricRollups;
import dev.sextant.server.monitoring.MetricsService;
import dev.sextant.server.monitoring.OnlineEvalService;
import dev.sextant.server.models.ProviderService;
import dev.sextant.server.projects.ProjectService;
import dev.sextant.server.prompts.PromptService;
import dev.sextant.server.review.ReviewService;
import dev.sextant.server.traces.TraceService;
import java.time.Clock;

/** The services built by the composition root, handed to demo seeders, CLI tools and tests. */
public record SextantServices(Database database, Clock clock, AuditLog audit, AuthService auth,
                              ProjectService projects, JobQueue jobs,
                              DatasetService datasets, PromptService prompts, EvaluatorService evaluators,
                              ScoreService scores, ProviderService providers, ModelGateway gateway,
                              TraceService traces, ExperimentService experiments, CommentService comments,
                              ReviewService reviews, FeedbackService feedback, OnlineEvalService online,
                              MetricsService metrics, AlertService alerts, MetricRollups rollups) {
}
