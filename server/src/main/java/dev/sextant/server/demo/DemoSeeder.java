package dev.sextant.server.demo;

/**
 * Adds one feature's demo data to the demo project. Each feature contributes its own seeder;
 * they run in the order given to {@link DemoData}.
 */
@FunctionalInterface
public interface DemoSeeder {
    void seed(DemoContext context) throws Exception;
}
