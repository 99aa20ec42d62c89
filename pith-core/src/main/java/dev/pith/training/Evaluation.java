package dev.pith.training;

import dev.pith.autograd.GradMode;
import dev.pith.data.TensorDataset;
import dev.pith.nn.Module;
import dev.pith.tensor.Tensor;

/**
 * Classification without recording a graph: the model in {@code eval()} mode inside a no-grad
 * scope, as the tutorials' test loop. The model's mode is restored afterwards.
 *
 * <pre>{@code
 * long[] predicted = Evaluation.predict(model, images, 256);     // argmax(1) of the scores
 * double accuracy = Evaluation.accuracy(model, test, 256);       // share of correct labels
 * }</pre>
 */
public final class Evaluation {
    private Evaluation() {
    }

    /** The class with the highest score for each example of {@code inputs}, in batches of {@code batchSize}. */
    public static long[] predict(Module model, Tensor inputs, int batchSize) {
        int n = Math.toIntExact(inputs.size(0));
        long[] out = new long[n];
        boolean wasTraining = model.isTraining();
        model.eval();
        try (var noGrad = GradMode.noGrad()) {
            for (int from = 0; from < n; from += batchSize) {
                int count = Math.min(batchSize, n - from);
                long[] classes = model.forward(inputs.narrow(0, from, count)).argmax(1).toLongArray();
                System.arraycopy(classes, 0, out, from, count);
            }
        } finally {
            model.train(wasTraining);
        }
        return out;
    }

    /** The share of examples of {@code data} whose predicted class equals their label. */
    public static double accuracy(Module model, TensorDataset data, int batchSize) {
        long[] predicted = predict(model, data.inputs(), batchSize);
        long[] labels = data.labels().toLongArray();
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predicted[i] == labels[i]) {
                correct++;
            }
        }
        return labels.length == 0 ? Double.NaN : correct / (double) labels.length;
    }
}
