package dev.sextant.server.evaluators;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.store.embedding.CosineSimilarity;

/**
 * Semantic similarity with the all-MiniLM-L6-v2 model (quantized ONNX, shipped inside the jar: no
 * network). It is loaded on first use, once, so servers that never compare meanings do not pay for it.
 */
final class Embeddings {
    private volatile EmbeddingModel model;

    /** Cosine similarity of the two texts' embeddings, clamped to 0..1. */
    double similarity(String a, String b) {
        EmbeddingModel m = model();
        Embedding ea = m.embed(a).content();
        Embedding eb = m.embed(b).content();
        return Math.max(0.0, Math.min(1.0, CosineSimilarity.between(ea, eb)));
    }

    private EmbeddingModel model() {
        EmbeddingModel m = model;
        if (m == null) {
            synchronized (this) {
                m = model;
                if (m == null) {
                    m = new AllMiniLmL6V2QuantizedEmbeddingModel();
                    model = m;
                }
            }
        }
        return m;
    }
}
