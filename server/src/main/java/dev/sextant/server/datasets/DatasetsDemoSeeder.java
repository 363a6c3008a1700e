package dev.sextant.server.datasets;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.demo.DemoContext;
import dev.sextant.server.demo.DemoSeeder;
import dev.sextant.server.http.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Seeds the "support questions" dataset through the public API: customer questions about the
 * fictional note-taking app Nimbus Notes with expected answers and a topic, then a correction
 * and a promoted trace so that the history shows several versions.
 */
public final class DatasetsDemoSeeder implements DemoSeeder {
    public static final String DATASET = "support questions";

    private static final String[][] QUESTIONS = {
        {"How do I reset my password?", "Click “Forgot password?” on the sign-in page and follow the link we e-mail you. The link is valid for 30 minutes.", "account"},
        {"Can I change the e-mail address on my account?", "Yes. Go to Settings → Account → E-mail, enter the new address and confirm it from the message we send there.", "account"},
        {"How do I delete my account?", "Settings → Account → Delete account. Your notes are removed permanently after 14 days; export them first if you want to keep them.", "account"},
        {"Do you offer a student discount?", "Yes: 50% off Nimbus Plus with a valid school e-mail address. Apply under Settings → Plan → Student discount.", "billing"},
        {"How do I cancel my subscription?", "Settings → Plan → Cancel subscription. You keep Plus features until the end of the paid period; no further charges are made.", "billing"},
        {"Can I get a refund?", "Annual plans can be refunded in full within 14 days of purchase. Contact support from Settings → Help with your invoice number.", "billing"},
        {"Can I pay by invoice?", "Invoices are available on the Business plan for teams of 10 seats or more. Ask sales@nimbusnotes.example for a quote.", "billing"},
        {"Why was I charged twice this month?", "Usually one charge is a pending authorization that disappears within 5 business days. If both remain, send us both receipts and we refund the duplicate.", "billing"},
        {"My notes are not syncing between my phone and laptop.", "Check both devices are signed in to the same account and online, then pull to refresh on the phone. If it persists, Settings → Sync → Resync forces a full sync without losing data.", "sync"},
        {"Does Nimbus work offline?", "Yes. Notes you have opened are available offline; changes sync automatically when you reconnect. Enable “Keep all notes offline” in Settings → Sync for the whole library.", "sync"},
        {"I edited a note on two devices offline. Which version wins?", "Neither is lost: Nimbus keeps both and shows a “conflict” banner on the note so you can merge them.", "sync"},
        {"How do I share a notebook with a colleague?", "Open the notebook, click Share and enter their e-mail. Choose “can view” or “can edit”. They need a free Nimbus account.", "sharing"},
        {"Can I publish a note as a public web page?", "Yes: Share → Publish to web creates a read-only link. You can unpublish it at any time, which disables the link immediately.", "sharing"},
        {"How do I export all my notes?", "Settings → Data → Export. You get a ZIP with Markdown files and attachments; large libraries are e-mailed as a download link.", "export"},
        {"Can I import notes from Evernote?", "Yes. Export an .enex file from Evernote, then use Settings → Data → Import → Evernote. Tags and attachments are preserved.", "export"},
        {"Is my data encrypted?", "Yes. Data is encrypted in transit (TLS 1.2+) and at rest (AES-256). Business plans can add end-to-end encrypted notebooks.", "security"},
        {"How do I turn on two-factor authentication?", "Settings → Security → Two-factor authentication, then scan the QR code with an authenticator app and enter the 6-digit code.", "security"},
        {"I lost my phone with my 2FA app. How do I sign in?", "Use one of the recovery codes you saved when enabling 2FA. Without them, contact support from the sign-in page to verify your identity.", "security"},
        {"Is there an Android app?", "Yes, Nimbus Notes is on Google Play for Android 10 and later, and on the App Store for iOS 16 and later.", "mobile"},
        {"How do I add a note from my phone's share menu?", "Install the mobile app, then choose Share → Nimbus in any app. The shared text or link lands in your Inbox notebook.", "mobile"},
        {"Does Nimbus integrate with Slack?", "Yes. Install the Nimbus app for Slack from Settings → Integrations; then use /nimbus to save a message as a note.", "integrations"},
        {"Can I connect Nimbus to Google Calendar?", "Yes, on Plus and Business: Settings → Integrations → Google Calendar creates a meeting note for each event.", "integrations"},
        {"What is the maximum attachment size?", "25 MB per file on Free and 200 MB on Plus and Business.", "limits"},
        {"How many devices can I use?", "Free accounts sync 2 devices; Plus and Business sync unlimited devices.", "limits"},
    };

    @Override
    public void seed(DemoContext demo) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        List<Map<String, Object>> items = new ArrayList<>();
        for (String[] q : QUESTIONS) {
            items.add(Map.of("input", Map.of("question", q[0], "product", "Nimbus Notes"),
                    "expectedOutput", q[1], "metadata", Map.of("topic", q[2])));
        }
        send(http, demo, "POST", "/api/datasets", Map.of("name", DATASET,
                "description", "Customer support questions about Nimbus Notes with approved answers", "items", items));
        String path = "/api/datasets/support%20questions";
        JsonNode first = send(http, demo, "GET", path + "/items?limit=1", null).path("data").get(0);
        send(http, demo, "PATCH", path + "/items/" + first.path("id").asText(), Map.of("expectedOutput",
                "Click “Forgot password?” on the sign-in page and follow the link we e-mail you. The link is valid "
                        + "for 30 minutes; check your spam folder if it does not arrive."));
        send(http, demo, "POST", path + "/items/from-traces", Map.of(
                "mappingDescription", "input.question ← user message; expected ← answer corrected by support",
                "records", List.of(Map.of("traceId", "5b8efff798038103d269b633813fc60c", "spanId", "eee19b7ec3c1b174",
                        "input", Map.of("question", "The app says my storage is full but I only have 40 notes.",
                                "product", "Nimbus Notes"),
                        "expectedOutput", "Storage counts attachments too. Settings → Data → Storage lists the largest "
                                + "files; Free includes 1 GB and Plus 20 GB.",
                        "metadata", Map.of("topic", "limits", "source", "production")))));
    }

    private static JsonNode send(HttpClient http, DemoContext demo, String method, String path, Object body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(demo.baseUrl() + path))
                .header("Authorization", "Bearer " + demo.apiKey())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(Json.write(body)));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " → " + response.statusCode() + ": " + response.body());
        }
        return Json.mapper().readTree(response.body());
    }
}
