package dev.sextant.server;

import dev.sextant.server.audit.AuditLog;
import dev.sextant.server.auth.ApiKeyApi;
import dev.sextant.server.auth.AuthPages;
import dev.sextant.server.auth.AuthService;
import dev.sextant.server.auth.Authenticator;
import dev.sextant.server.auth.InitialSetup;
import dev.sextant.server.auth.KeyPages;
import dev.sextant.server.auth.PasswordHasher;
import dev.sextant.server.comments.CommentApi;
import dev.sextant.server.comments.CommentPages;
import dev.sextant.server.comments.CommentService;
import dev.sextant.server.comments.CommentTargets;
import dev.sextant.server.config.ConfigKey;
import dev.sextant.server.config.SextantConfig;
import dev.sextant.server.datasets.DatasetApi;
import dev.sextant.server.datasets.DatasetPages;
import dev.sextant.server.datasets.DatasetService;
import dev.sextant.server.db.Database;
import dev.sextant.server.db.DatabaseUrl;
import dev.sextant.server.evaluators.EvaluatorApi;
import dev.sextant.server.feedback.FeedbackApi;
import dev.sextant.server.feedback.FeedbackPages;
import dev.sextant.server.feedback.FeedbackService;
import dev.sextant.server.evaluators.EvaluatorPages;
import dev.sextant.server.evaluators.EvaluatorRunner;
import dev.sextant.server.evaluators.EvaluatorService;
import dev.sextant.server.evaluators.GatewayJudgeModel;
import dev.sextant.server.evaluators.ScoreApi;
import dev.sextant.server.evaluators.ScoreService;
import dev.sextant.server.experiments.ExperimentApi;
import dev.sextant.server.experiments.ExperimentPages;
import dev.sextant.server.experiments.ExperimentResults;
import dev.sextant.server.experiments.ExperimentRunner;
import dev.sextant.server.experiments.ExperimentService;
import dev.sextant.server.http.ApiException;
import dev.sextant.server.http.ApiRoute;
import dev.sextant.server.http.ErrorHandling;
import dev.sextant.server.http.Json;
import dev.sextant.server.http.RequestIds;
import dev.sextant.server.http.Routes;
import dev.sextant.server.http.SystemApi;
import dev.sextant.server.jobs.JobQueue;
import dev.sextant.server.monitoring.AlertApi;
import dev.sextant.server.monitoring.AlertService;
import dev.sextant.server.monitoring.MetricRollups;
import dev.sextant.server.monitoring.MetricsApi;
import dev.sextant.server.monitoring.MetricsService;
import dev.sextant.server.monitoring.MonitoringPages;
import dev.sextant.server.monitoring.OnlineEvalApi;
import dev.sextant.server.monitoring.OnlineEvalService;
import dev.sextant.server.monitoring.RulePages;
import dev.sextant.server.models.MasterKey;
import dev.sextant.server.models.ModelGateway;
import dev.sextant.server.models.ProviderApi;
import dev.sextant.server.models.ProviderPages;
import dev.sextant.server.models.ProviderService;
import dev.sextant.server.models.RetryPolicy;
import dev.sextant.server.models.SecretBox;
import dev.sextant.server.models.sim.SimScript;
import dev.sextant.server.models.sim.SimServer;
import dev.sextant.server.playground.AgentReplayService;
import dev.sextant.server.playground.PlaygroundApi;
import dev.sextant.server.playground.PlaygroundPages;
import dev.sextant.server.playground.PlaygroundService;
import dev.sextant.server.projects.ProjectApi;
import dev.sextant.server.projects.ProjectService;
import dev.sextant.server.projects.ProjectStore;
import dev.sextant.server.projects.SettingsPages;
import dev.sextant.server.prompts.PromptApi;
import dev.sextant.server.prompts.PromptPages;
import dev.sextant.server.prompts.PromptService;
import dev.sextant.server.traces.GatewayCallSpans;
import dev.sextant.server.review.CalibrationService;
import dev.sextant.server.review.ReviewApi;
import dev.sextant.server.review.ReviewPages;
import dev.sextant.server.review.ReviewSampler;
import dev.sextant.server.review.ReviewService;
import dev.sextant.server.traces.OtlpApi;
import dev.sextant.server.traces.TraceDatasetApi;
import dev.sextant.server.traces.TraceDatasetPages;
import dev.sextant.server.traces.TraceDatasets;
import dev.sextant.server.traces.TraceEvaluationPages;
import dev.sextant.server.traces.TraceExamples;
import dev.sextant.server.traces.TraceApi;
import dev.sextant.server.traces.TracePages;
import dev.sextant.server.traces.TraceRetention;
import dev.sextant.server.traces.TraceService;
import dev.sextant.server.web.ShellPages;
import dev.sextant.server.web.Views;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: reads config, opens the database, builds every service by plain
 * constructor calls and registers every route in one place. Tests start this very wiring.
 */
public final class Sextant implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Sextant.class);
    private static final Logger ACCESS = LoggerFactory.getLogger("sextant.access");

    /** How long a served prompt may be stale in another process sharing the database. */
    private static final Duration PROMPT_CACHE_TTL = Duration.ofSeconds(1);

    private final SextantConfig config;
    private final SextantServices services;
    private final Optional<InitialSetup.Outcome> initialSetup;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<ApiRoute> apiRoutes = new ArrayList<>();
    private final SimServer sim;
    private Javalin app;

    private Sextant(SextantConfig config) {
        this.config = config;
        createDataDir(config);
        SimScript script = simScript(config);
        Database database = Database.open(DatabaseUrl.parse(config.dbUrl(), config.dataDir()), config.dbPoolSize());
        // The in-process sim provider listens on its own loopback port: no unauthenticated model endpoint on
        // the main server, and the gateway reaches it exactly as it reaches a real provider.
        this.sim = SimServer.startLocal(script);
        try {
            // Millisecond ticks: what the database stores is exactly what was returned.
            Clock clock = Clock.tick(Clock.systemUTC(), Duration.ofMillis(1));
            AuditLog audit = new AuditLog(database.jdbi());
            ProjectService projects = new ProjectService(database.jdbi(), new ProjectStore(database.jdbi()), audit,
                    clock);
            AuthService auth = new AuthService(database.jdbi(), audit, new PasswordHasher(),
                    config.sessionLifetime(), clock);
            JobQueue jobs = new JobQueue(database, clock, config.jobLease(), config.jobWorkers());
            DatasetService datasets = new DatasetService(database.jdbi(), audit, clock);
            PromptService prompts = new PromptService(database.jdbi(), audit, clock, PROMPT_CACHE_TTL);
            SecretBox secretBox = new SecretBox(MasterKey.load(config.get(ConfigKey.MASTER_KEY), config.dataDir()));
            ProviderService providers = new ProviderService(database.jdbi(), secretBox, audit, clock, sim::baseUrl);
            TraceService traces = new TraceService(database, audit, clock, config.ingestQueueSpans(),
                    config.maxFieldBytes());
            // Every gateway call becomes an llm span, priced from the same table as ingested spans.
            ModelGateway gateway = new ModelGateway(providers, GatewayCallSpans.pricing(traces),
                    new GatewayCallSpans(traces),
                    new ModelGateway.Settings(Duration.ofSeconds(config.longValue(ConfigKey.MODEL_TIMEOUT_SECONDS)),
                            config.intValue(ConfigKey.MODEL_CONCURRENCY), RetryPolicy.DEFAULT.withMaxAttempts(
                            config.intValue(ConfigKey.MODEL_MAX_ATTEMPTS))), RetryPolicy.Sleeper.REAL, clock);
            EvaluatorService evaluators = new EvaluatorService(database, audit, clock,
                    new EvaluatorRunner(new GatewayJudgeModel(gateway)));
            ScoreService scores = new ScoreService(database, clock, evaluators);
            new TraceRetention(traces, jobs, database, clock).register();
            ExperimentService experiments = new ExperimentService(database.jdbi(), datasets, prompts, evaluators,
                    scores, jobs, audit, clock);
            jobs.register(ExperimentService.JOB_KIND, new ExperimentRunner(experiments, projects, gateway, jobs));
            CommentService comments = new CommentService(database.jdbi(),
                    commentTargets(traces, prompts, projects, experiments), clock);
            ReviewService reviews = new ReviewService(database, audit, clock, evaluators, scores, traces, datasets,
                    new ReviewSampler(jobs, clock));
            reviews.registerSampling();
            FeedbackService feedback = new FeedbackService(database, scores, clock);
            Duration monitorInterval = Duration.ofSeconds(config.longValue(ConfigKey.MONITOR_INTERVAL_SECONDS));
            OnlineEvalService online = new OnlineEvalService(database, evaluators, scores, jobs, audit, clock,
                    monitorInterval, Duration.ofSeconds(config.longValue(ConfigKey.ONLINE_EVAL_SETTLE_SECONDS)));
            online.register();
            // Dashboard rollups are maintained by their own periodic job, never by ingestion.
            MetricRollups rollups = new MetricRollups(database, jobs, clock, monitorInterval);
            rollups.register();
            MetricsService metricsService = new MetricsService(database, rollups);
            AlertService alerts = new AlertService(database, metricsService, secretBox, jobs, audit, clock,
                    monitorInterval, config.bool(ConfigKey.WEBHOOK_ALLOW_PRIVATE));
            alerts.register();
            this.services = new SextantServices(database, clock, audit, auth, projects, jobs, datasets, prompts,
                    evaluators, scores, providers, gateway, traces, experiments, comments, reviews, feedback, online,
                    metricsService, alerts, rollups);
            this.initialSetup = new InitialSetup(auth, projects).run(config);
        } catch (RuntimeException e) {
            sim.close();
            database.close();
            throw e;
        }
    }

    /**
     * What can be discussed: traces ({@code <traceId>}), spans ({@code <traceId>:<spanId>}) and prompt
     * versions ({@code <name>@<version>}) and experiment items.
     */
    private static CommentTargets commentTargets(TraceService traces, PromptService prompts, ProjectService projects,
                                                 ExperimentService experiments) {
        return new CommentTargets()
                .register("experiment_item", experiments::itemExists, experiments::itemLink)
                .register("trace", (projectId, id) -> traces.trace(projectId, id).isPresent(),
                        (slug, id) -> "/p/" + slug + "/traces/" + id)
                .register("span", (projectId, id) -> {
                    int colon = id.indexOf(':');
                    return colon > 0 && traces.span(projectId, id.substring(0, colon), id.substring(colon + 1))
                            .isPresent();
                }, (slug, id) -> "/p/" + slug + "/traces/" + id.replace(":", "?span="))
                .register("prompt_version", (projectId, id) -> {
                    int at = id.lastIndexOf('@');
                    if (at <= 0) {
                        return false;
                    }
                    try {
                        int version = Integer.parseInt(id.substring(at + 1));
                        return projects.byId(projectId)
                                .map(p -> prompts.get(p, id.substring(0, at), null, version) != null).orElse(false);
                    } catch (NumberFormatException | ApiException e) {
                        return false;
                    }
                }, (slug, id) -> {
                    int at = id.lastIndexOf('@');
                    return "/p/" + slug + "/prompts/" + id.substring(0, at) + "?version=" + id.substring(at + 1);
                });
    }

    private static SimScript simScript(SextantConfig config) {
        String path = config.get(ConfigKey.SIM_SCRIPT);
        try {
            return path == null || path.isBlank() ? SimScript.builtIn() : SimScript.load(java.nio.file.Path.of(path));
        } catch (IllegalArgumentException e) {
            throw new dev.sextant.server.config.ConfigException("sim-script: " + e.getMessage());
        }
    }

    /** Builds everything and starts serving; the port may be 0 for a random free port. */
    public static Sextant start(SextantConfig config) {
        Sextant sextant = new Sextant(config);
        try {
            sextant.startHttp();
            sextant.services.jobs().start();
            return sextant;
        } catch (RuntimeException e) {
            sextant.close();
            throw e;
        }
    }

    private void startHttp() {
        long started = System.nanoTime();
        Views views = new Views(services.projects());
        app = Javalin.create(javalin -> configure(javalin, views));
        app.start(config.host(), config.port());
        LOG.info("Sextant {} serving on {} ({}) in {} ms", Version.current(), url(), services.database().dialect(),
                (System.nanoTime() - started) / 1_000_000);
    }

    private void configure(JavalinConfig javalin, Views views) {
        javalin.startup.showJavalinBanner = false;
        javalin.concurrency.useVirtualThreads = true;
        javalin.http.maxRequestSize = config.maxBodyBytes();
        javalin.jsonMapper(new JavalinJackson(Json.mapper(), true));
        javalin.staticFiles.add(files -> {
            files.hostedPath = "/static";
            files.directory = "/static";
            files.location = Location.CLASSPATH;
        });
        javalin.staticFiles.enableWebjars();
        bindMetrics();
        javalin.requestLogger.http((ctx, ms) -> {
            String route = ctx.endpoint() == null ? "unmatched" : ctx.endpoint().path;
            Timer.builder("http.server.requests").tag("method", ctx.method().name()).tag("route", route)
                    .tag("status", Integer.toString(ctx.statusCode())).register(metrics)
                    .record(Duration.ofNanos((long) (ms * 1_000_000)));
            ACCESS.info("{} {} {} {}ms {}", ctx.method(), ctx.path(), ctx.statusCode(), Math.round(ms),
                    RequestIds.of(ctx));
        });

        Routes routes = new Routes(javalin.routes);
        routes.raw().before(ctx -> {
            RequestIds.assign(ctx);
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.header("X-Frame-Options", "DENY");
            ctx.header("Referrer-Policy", "same-origin");
            ctx.header("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; "
                    + "style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'");
        });
        routes.raw().beforeMatched(new Authenticator(services.auth(), services.projects()));
        new ErrorHandling(views).register(javalin.routes);

        registerFeatures(routes, views);
        apiRoutes.addAll(routes.apiRoutes());
    }

    /** Every feature's routes, in one place. */
    private void registerFeatures(Routes routes, Views views) {
        new SystemApi(services.database(), metrics, Version.current()).register(routes, () -> apiRoutes);
        new AuthPages(services.auth(), views, config.secureCookies(),
                (int) config.sessionLifetime().toSeconds()).register(routes);
        new ApiKeyApi(services.auth()).register(routes);
        new KeyPages(services.auth(), views).register(routes);
        new ProjectApi(services.projects(), services.auth(), services.audit()).register(routes);
        new SettingsPages(services.projects(), services.auth(), services.audit(), views).register(routes);
        new DatasetApi(services.datasets()).register(routes);
        new DatasetPages(services.datasets(), views).register(routes);
        new PromptApi(services.prompts()).register(routes);
        new PromptPages(services.prompts(), views).register(routes);
        new EvaluatorApi(services.evaluators()).register(routes);
        new ScoreApi(services.scores()).register(routes);
        new EvaluatorPages(services.evaluators(), services.scores(), views).register(routes);
        new ProviderApi(services.providers()).register(routes);
        new ProviderPages(services.providers(), views).register(routes);
        PlaygroundService playground = new PlaygroundService(services.gateway());
        GatewayCallSpans replaySpans = new GatewayCallSpans(services.traces());
        new PlaygroundApi(playground, new AgentReplayService(services.gateway()::chat,
                (projectId, spans) -> replaySpans.submit(projectId, spans, List.of(), "agent replay"))).register(routes);
        new PlaygroundPages(services.providers(), views).register(routes);
        new TraceApi(services.traces()).register(routes);
        new OtlpApi(services.traces(), config.maxBodyBytes()).register(routes);
        new TracePages(services.traces(), views).register(routes);
        ExperimentResults experimentResults = new ExperimentResults(services.experiments());
        new ExperimentApi(services.experiments(), experimentResults).register(routes);
        new ExperimentPages(services.experiments(), experimentResults, services.datasets(), services.prompts(),
                services.evaluators(), views).register(routes);
        TraceDatasets promotion = new TraceDatasets(services.traces(), services.datasets());
        new TraceDatasetApi(promotion).register(routes);
        new TraceDatasetPages(promotion, services.datasets(), views).register(routes);
        new TraceEvaluationPages(services.scores(), new TraceExamples(services.traces(), services.datasets()), views)
                .register(routes);
        new CommentApi(services.comments()).register(routes);
        new CommentPages(services.comments(), views).register(routes);
        CalibrationService calibration = new CalibrationService(services.reviews(), services.evaluators());
        new ReviewApi(services.reviews(), calibration).register(routes);
        new ReviewPages(services.reviews(), calibration, services.evaluators(), services.datasets(), views)
                .register(routes);
        new FeedbackApi(services.feedback(), services.clock()).register(routes);
        new FeedbackPages(services.feedback(), views, services.clock()).register(routes);
        new OnlineEvalApi(services.online()).register(routes);
        new MetricsApi(services.metrics(), services.clock()).register(routes);
        new MonitoringPages(services.metrics(), services.database(), views, services.clock()).register(routes);
        new AlertApi(services.alerts()).register(routes);
        new RulePages(services.online(), services.alerts(), views).register(routes);
        new ShellPages(services.projects(), views).register(routes);
    }

    private void bindMetrics() {
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmGcMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
    }

    private static void createDataDir(SextantConfig config) {
        try {
            Files.createDirectories(config.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data dir " + config.dataDir(), e);
        }
    }

    public int port() {
        return app.port();
    }

    /** The URL to print: the configured public URL, or localhost and the bound port. */
    public String url() {
        return config.publicUrl().isBlank() ? "http://localhost:" + port() : config.publicUrl();
    }

    public SextantServices services() {
        return services;
    }

    public Optional<InitialSetup.Outcome> initialSetup() {
        return initialSetup;
    }

    public List<ApiRoute> apiRoutes() {
        return List.copyOf(apiRoutes);
    }

    /** The Javalin instance, for tests that inspect the registered routes. */
    public Javalin javalin() {
        return app;
    }

    @Override
    public void close() {
        services.jobs().close();
        if (app != null) {
            app.stop();
        }
        services.traces().close();
        services.database().close();
        sim.close();
    }

    /** The base URL of the in-process sim provider (OpenAI-compatible, ends in {@code /v1}). */
    public String simBaseUrl() {
        return sim.baseUrl();
    }
}
