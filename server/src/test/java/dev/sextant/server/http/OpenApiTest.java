package dev.sextant.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.support.TestServer;
import io.javalin.router.ParsedEndpoint;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class OpenApiTest {

    @Test
    void theDocumentCoversExactlyTheRegisteredApiRoutes() {
        try (TestServer server = TestServer.start()) {
            Set<String> registered = new TreeSet<>();
            for (ParsedEndpoint parsed : server.sextant().javalin().unsafe.internalRouter.allHttpHandlers()) {
                String path = parsed.endpoint.path;
                if (path.startsWith("/api/") || path.startsWith("/v1/")) {
                    registered.add(parsed.endpoint.method.name().toUpperCase(Locale.ROOT) + " "
                            + OpenApiDocument.documentedPath(path));
                }
            }
            JsonNode doc = server.anonymous().get("/api/openapi.json").json();
            Set<String> documented = new TreeSet<>();
            doc.path("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
                documented.add(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
                assertThat(op.getValue().path("summary").asText()).as(path.getKey()).isNotBlank();
            }));

            assertThat(registered).isNotEmpty();
            assertThat(documented).isEqualTo(registered);
            assertThat(doc.path("openapi").asText()).startsWith("3.1");
        }
    }
}
