package dev.pith.nn;

import dev.pith.nn.functional.F;
import dev.pith.tensor.DType;
import dev.pith.tensor.Generator;
import dev.pith.tensor.Parameter;
import dev.pith.tensor.Tensor;

/**
 * A lookup table of {@code numEmbeddings} vectors of size {@code embeddingDim}, as
 * {@code torch.nn.Embedding}: {@code weight} [num, dim] drawn from N(0, 1), with the
 * {@code paddingIdx} row (if any; negative counts from the end) set to zero.
 *
 * <pre>{@code
 * Embedding emb = new Embedding(10000, 128, 0);     // Embedding(10000, 128, padding_idx=0)
 * Tensor vectors = emb.forward(tokenIds);          // int64 [B, T] -> [B, T, 128]
 * }</pre>
 */
@SuppressWarnings("this-escape") // registers its state in the constructor, as PyTorch modules do
public class Embedding extends Module {
    private final int numEmbeddings;
    private final int embeddingDim;
    private final Integer paddingIdx;

    public Embedding(int numEmbeddings, int embeddingDim) {
        this(numEmbeddings, embeddingDim, null);
    }

    /** An embedding whose row {@code paddingIdx} (null: none) starts at zero. */
    public Embedding(int numEmbeddings, int embeddingDim, Integer paddingIdx) {
        this(numEmbeddings, embeddingDim, paddingIdx, Init.defaultGenerator());
    }

    /** An embedding initialised from {@code generator}. */
    public Embedding(int numEmbeddings, int embeddingDim, Integer paddingIdx, Generator generator) {
        this(numEmbeddings, embeddingDim, paddingIdx, (Tensor) null);
        initialWeight(generator);
    }

    private Embedding(int numEmbeddings, int embeddingDim, Integer paddingIdx, Tensor weight) {
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        this.paddingIdx = normalizePaddingIdx(paddingIdx, numEmbeddings);
        registerParameter("weight", new Parameter(weight != null ? weight
                : Tensor.zeros(DType.FLOAT32, numEmbeddings, embeddingDim)));
    }

    private static Integer normalizePaddingIdx(Integer paddingIdx, int numEmbeddings) {
        if (paddingIdx == null) {
            return null;
        }
        if (paddingIdx >= numEmbeddings || paddingIdx < -numEmbeddings) {
            throw new IllegalArgumentException("Padding_idx must be within num_embeddings");
        }
        return paddingIdx < 0 ? numEmbeddings + paddingIdx : paddingIdx;
    }

    /**
     * An embedding over the rows of {@code embeddings} [num, dim] (shared, not copied), as
     * {@code Embedding.from_pretrained}; with {@code freeze} the weight does not require gradients.
     */
    public static Embedding fromPretrained(Tensor embeddings, boolean freeze, Integer paddingIdx) {
        if (embeddings.dim() != 2) {
            throw new IllegalArgumentException("Embeddings parameter is expected to be 2-dimensional");
        }
        Embedding e = new Embedding((int) embeddings.size(0), (int) embeddings.size(1), paddingIdx, embeddings);
        e.weight().requiresGrad(!freeze);
        return e;
    }

    /** Re-draws the weight from N(0, 1) and zeroes the padding row. */
    public void resetParameters(Generator generator) {
        initialWeight(generator);
    }

    private void initialWeight(Generator generator) {
        Init.normal_(param("weight"), 0, 1, generator);
        if (paddingIdx != null) {
            Init.zeros_(param("weight").select(0, paddingIdx));
        }
    }

    public Parameter weight() {
        return param("weight");
    }

    public int numEmbeddings() {
        return numEmbeddings;
    }

    public int embeddingDim() {
        return embeddingDim;
    }

    /** The padding row (non-negative), or null. */
    public Integer paddingIdx() {
        return paddingIdx;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.embedding(input, weight(), paddingIdx);
    }

    @Override
    protected String extraRepr() {
        return numEmbeddings + ", " + embeddingDim + (paddingIdx != null ? ", padding_idx=" + paddingIdx : "");
    }
}
