package dev.sextant.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.Sextant;
import dev.sextant.server.auth.Secrets;
import dev.sextant.server.config.ConfigKey;
import dev.sextant.server.config.SextantConfig;
import dev.sextant.server.http.Json;
import dev.sextant.server.prompts.PromptSync;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sextant eval}: runs an experiment for CI and gates on it. Exit 0 when every gate passes, 1 when a
 * threshold is missed or the baseline comparison says "worse", 2 on any error.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Run a prompt over a dataset with evaluators and gate CI on the result (docs/experiments.md).")
public final class EvalCommand implements Callable<Integer> {
    static final int PASS = 0;
    static final int FAIL = 1;
    static final int ERROR = 2;
    private static final Pattern PROMPT = Pattern.compile("(.+)@(v?(\\d+)|[A-Za-z][\\w.-]*)");
    private static final Pattern RUN_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    @Option(names = "--server", defaultValue = "${env:SEXTANT_URL:-http://localhost:7070}",
            description = "Server URL (env SEXTANT_URL; default ${DEFAULT-VALUE}).")
    String server;

    @Option(names = "--api-key", defaultValue = "${env:SEXTANT_API_KEY}",
            description = "Secret API key of the project (env SEXTANT_API_KEY).")
    String apiKey;

    @Option(names = "--dataset", description = "Dataset name (with --embedded: defaults to the file's name).")
    String dataset;

    @Option(names = "--dataset-version", description = "Dataset version (default: latest).")
    Integer datasetVersion;

    @Option(names = "--prompt", required = true, description = "The prompt to test: name@label or name@version.")
    String prompt;

    @Option(names = "--evaluators", split = ",", description = "Evaluator names, comma-separated.")
    List<String> evaluators = new ArrayList<>();

    @Option(names = "--threshold", split = ",", description = "Minimum score per criterion, e.g. answers=0.9 "
            + "(pass rate or mean; repeatable or comma-separated).")
    Map<String, Double> thresholds = new LinkedHashMap<>();

    @Option(names = "--baseline", description = "A run id, or a label of the same prompt (e.g. production) to run "
            + "alongside; the gate fails when a criterion is worse at the 95% confidence bound.")
    String baseline;

    @Option(names = "--junit", description = "Write JUnit XML here (one test case per item x criterion).")
    Path junit;

    @Option(names = "--markdown", description = "Write a Markdown summary here (for PR comments).")
    Path markdown;

    @Option(names = "--concurrency", defaultValue = "8", description = "Model calls in flight (default 8).")
    int concurrency;

    @Option(names = "--repetitions", defaultValue = "1", description = "Repetitions per item (default 1).")
    int repetitions;

    @Option(names = "--timeout", defaultValue = "1800", description = "Give up after this many seconds (default 1800).")
    long timeoutSeconds;

    @Option(names = "--embedded", description = "Run without a server: start Sextant in-process on a temporary "
            + "SQLite and load --dataset-file, --prompt-dir and --evaluators-file.")
    boolean embedded;

    @Option(names = "--dataset-file", description = "With --embedded: JSONL of items {input, expectedOutput, metadata}.")
    Path datasetFile;

    @Option(names = "--prompt-dir", description = "With --embedded: folder of .prompt files.")
    Path promptDir;

    @Option(names = "--evaluators-file", description = "With --embedded: JSON array of evaluator definitions.")
    Path evaluatorsFile;

    @Option(names = "--sim-script", description = "With --embedded: sim provider script (docs/sim.md).")
    Path simScript;

    @Override
    public Integer call() {
        try {
            Matcher spec = PROMPT.matcher(prompt == null ? "" : prompt.strip());
            if (!spec.matches()) {
                throw new EvalClient.Failure("--prompt must look like name@label or name@version, e.g. "
                        + "support/answer@production or support/answer@3");
            }
            if (embedded) {
                return runEmbedded(spec);
            }
            if (apiKey == null || apiKey.isBlank()) {
                throw new EvalClient.Failure("an API key is required: --api-key or SEXTANT_API_KEY");
            }
            if (dataset == null) {
                throw new EvalClient.Failure("--dataset is required");
            }
            return run(new EvalClient(server, apiKey), spec);
        } catch (EvalClient.Failure | IOException | IllegalArgumentException e) {
            System.err.println("sextant eval: " + e.getMessage());
            return ERROR;
        }
    }

    private int runEmbedded(Matcher spec) throws IOException {
        if (datasetFile == null || promptDir == null) {
            throw new EvalClient.Failure("--embedded needs --dataset-file and --prompt-dir (and usually "
                    + "--evaluators-file)");
        }
        Path dir = Files.createTempDirectory("sextant-eval-");
        String key = "sk-sx-" + Secrets.randomToken(32);
        Map<ConfigKey, String> values = new EnumMap<>(ConfigKey.class);
        values.put(ConfigKey.PORT, "0");
        values.put(ConfigKey.HOST, "127.0.0.1");
        values.put(ConfigKey.DATA_DIR, dir.toString());
        values.put(ConfigKey.INIT_ADMIN_EMAIL, "eval@localhost");
        values.put(ConfigKey.INIT_ADMIN_PASSWORD, Secrets.randomToken(24));
        values.put(ConfigKey.INIT_PROJECT, "eval");
        values.put(ConfigKey.INIT_API_KEY, key);
        values.put(ConfigKey.MODEL_CONCURRENCY, Integer.toString(Math.max(8, concurrency * 2)));
        if (simScript != null) {
            values.put(ConfigKey.SIM_SCRIPT, simScript.toString());
        }
        try (Sextant sextant = Sextant.start(SextantConfig.of(values))) {
            EvalClient client = new EvalClient("http://127.0.0.1:" + sextant.port(), key);
            load(client, key);
            return run(client, spec);
        }
    }

    /** Loads the local files into the embedded server through its API. */
    private void load(EvalClient client, String key) throws IOException {
        if (dataset == null) {
            String file = datasetFile.getFileName().toString();
            dataset = file.contains(".") ? file.substring(0, file.lastIndexOf('.')) : file;
        }
        List<JsonNode> items = new ArrayList<>();
        int line = 0;
        for (String text : Files.readAllLines(datasetFile, StandardCharsets.UTF_8)) {
            line++;
            if (!text.isBlank()) {
                try {
                    items.add(Json.mapper().readTree(text));
                } catch (IOException e) {
                    throw new EvalClient.Failure(datasetFile + ":" + line + " is not JSON: " + e.getMessage());
                }
            }
        }
        client.post("/api/datasets", Map.of("name", dataset, "items", items));
        StringWriter log = new StringWriter();
        PromptSync.Outcome pushed = new PromptSync(client.server(), key, new PrintWriter(log)).push(promptDir,
                "sextant eval");
        if (pushed.failed() > 0) {
            throw new EvalClient.Failure("some .prompt files could not be loaded:\n" + log);
        }
        if (evaluatorsFile != null) {
            JsonNode definitions = Json.mapper().readTree(evaluatorsFile.toFile());
            if (!definitions.isArray()) {
                throw new EvalClient.Failure(evaluatorsFile + " must hold a JSON array of evaluator definitions");
            }
            for (JsonNode definition : definitions) {
                client.post("/api/evaluators", definition);
            }
        }
    }

    private int run(EvalClient client, Matcher spec) throws IOException {
        String name = spec.group(1);
        Map<String, Object> candidate = target(name, spec.group(3) != null ? spec.group(3) : spec.group(2));
        List<Object> targets = new ArrayList<>();
        String baselineRun = null;
        if (baseline != null && RUN_ID.matcher(baseline.strip()).matches()) {
            baselineRun = baseline.strip();
        } else if (baseline != null && !baseline.isBlank()) {
            targets.add(target(name, baseline.strip()));
        }
        targets.add(candidate);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "eval " + prompt);
        body.put("dataset", dataset);
        if (datasetVersion != null) {
            body.put("datasetVersion", datasetVersion);
        }
        body.put("targets", targets);
        body.put("evaluators", evaluators);
        body.put("repetitions", repetitions);
        body.put("concurrency", concurrency);
        JsonNode experiment = client.post("/api/experiments", body).path("experiment");
        String id = experiment.path("id").asText();
        JsonNode detail = await(client, id);
        String status = detail.path("experiment").path("status").asText();
        if (!status.equals("completed")) {
            JsonNode failedRun = null;
            for (JsonNode r : detail.path("experiment").path("runs")) {
                if (r.hasNonNull("error")) {
                    failedRun = r;
                }
            }
            throw new EvalClient.Failure("experiment " + id + " " + status
                    + (failedRun == null ? "" : ": " + failedRun.path("error").asText()));
        }
        JsonNode runs = detail.path("experiment").path("runs");
        JsonNode candidateRun = runs.get(runs.size() - 1);
        String runId = candidateRun.path("id").asText();
        JsonNode scorecard = detail.path("scorecards").get(runs.size() - 1);
        List<JsonNode> deltas = new ArrayList<>();
        String base = baselineRun != null ? baselineRun : runs.size() > 1 ? runs.get(0).path("id").asText() : null;
        if (base != null) {
            JsonNode compared = client.get("/api/experiments/compare?runs=" + enc(base) + "," + enc(runId));
            compared.path("comparison").path("deltas").forEach(deltas::add);
        }
        List<JsonNode> items = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = client.get("/api/experiments/" + id + "/runs/" + runId + "/items?limit=500"
                    + (cursor == null ? "" : "&cursor=" + enc(cursor)));
            page.path("data").forEach(items::add);
            cursor = page.path("nextCursor").asText(null);
        } while (cursor != null);
        EvalReport report = new EvalReport(candidateRun.path("label").asText(prompt),
                embedded ? null : client.server() + "/p/" + experimentProject(client) + "/experiments/" + id,
                items, scorecard, deltas, EvalReport.gates(scorecard, thresholds, deltas));
        if (junit != null) {
            write(junit, report.junit());
        }
        if (markdown != null) {
            write(markdown, report.markdown());
        }
        System.out.print(report.markdown());
        return report.passed() ? PASS : FAIL;
    }

    private static String experimentProject(EvalClient client) {
        try {
            JsonNode me = client.get("/api/projects/current");
            return me.path("slug").asText(me.path("id").asText());
        } catch (EvalClient.Failure e) {
            return "-";
        }
    }

    private JsonNode await(EvalClient client, String id) {
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        String lastProgress = "";
        while (true) {
            JsonNode detail = client.get("/api/experiments/" + id);
            String status = detail.path("experiment").path("status").asText();
            StringBuilder progress = new StringBuilder();
            for (JsonNode r : detail.path("experiment").path("runs")) {
                progress.append(r.path("label").asText()).append(' ').append(r.path("progress").path("done").asInt())
                        .append('/').append(r.path("progress").path("total").asInt()).append("  ");
            }
            if (!progress.toString().equals(lastProgress)) {
                System.err.println(progress.toString().strip());
                lastProgress = progress.toString();
            }
            if (!status.equals("queued") && !status.equals("running")) {
                return detail;
            }
            if (System.nanoTime() > deadline) {
                client.post("/api/experiments/" + id + "/cancel", Map.of());
                throw new EvalClient.Failure("experiment " + id + " did not finish within " + timeoutSeconds + " s");
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EvalClient.Failure("interrupted");
            }
        }
    }

    private static Map<String, Object> target(String name, String selector) {
        Matcher version = Pattern.compile("v?(\\d+)").matcher(selector);
        return version.matches() ? Map.of("type", "prompt", "prompt", name, "version",
                Integer.parseInt(version.group(1))) : Map.of("type", "prompt", "prompt", name, "label", selector);
    }

    private static void write(Path file, String text) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
