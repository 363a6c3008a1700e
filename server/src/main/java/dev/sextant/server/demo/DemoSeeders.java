package dev.sextant.server.demo;

import dev.sextant.server.traces.TraceDemoSeeder;
import java.util.List;

/** Every feature's demo seeder, in the order they run (later ones may use earlier data). */
public final class DemoSeeders {
    private DemoSeeders() {
    }

    public static List<DemoSeeder> all() {
        return List.of(new TraceDemoSeeder());
    }
}
