package dev.sextant.server.comments;

import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * Markdown to HTML for comments, safe to embed: raw HTML in the source is escaped, not rendered,
 * and link targets other than http(s)/mailto are dropped (no {@code javascript:} URLs).
 */
public final class Markdown {
    private static final Parser PARSER = Parser.builder().build();
    private static final HtmlRenderer RENDERER = HtmlRenderer.builder().escapeHtml(true).sanitizeUrls(true)
            .build();

    private Markdown() {
    }

    public static String toSafeHtml(String markdown) {
        return RENDERER.render(PARSER.parse(markdown == null ? "" : markdown));
    }
}
