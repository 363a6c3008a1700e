package dev.sextant.bench;

import java.util.Arrays;

/** Entry point: {@code java -jar bench/target/sextant-bench.jar load|query [--option value]...}. */
public final class Bench {
    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("""
                    usage: java -jar sextant-bench.jar load  --url URL --key KEY [--concurrency 8] [--duration 30]
                                                             [--span-bytes 1000] [--spans-per-request 100] [--rate 0]
                                                             [--spans-per-trace 1] [--report-every 0]
                           java -jar sextant-bench.jar query --url URL --key KEY [--traces 1000000] [--iterations 50] [--skip-generate] [--settle-seconds 0]""");
            System.exit(2);
        }
        Options options = Options.parse(Arrays.copyOfRange(args, 1, args.length));
        switch (args[0]) {
            case "load" -> new OtlpLoad(options).run();
            case "query" -> new QueryBench(options).run();
            default -> {
                System.err.println("unknown command " + args[0]);
                System.exit(2);
            }
        }
    }
}
