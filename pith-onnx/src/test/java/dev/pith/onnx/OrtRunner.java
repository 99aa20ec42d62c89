package dev.pith.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.pith.tensor.DType;
import dev.pith.tensor.Tensor;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Map;

/**
 * ONNX Runtime's Java package as the consumer of exported models: loads a model file and runs it
 * on a Pith tensor (float32 or int64), returning the output as a Pith tensor.
 */
final class OrtRunner implements AutoCloseable {
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    OrtRunner(Path model) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(Math.max(1, Runtime.getRuntime().availableProcessors()));
        this.session = ENV.createSession(model.toString(), options);
    }

    OrtSession session() {
        return session;
    }

    /** The model's output for {@code input} (fed as "input"). */
    Tensor run(Tensor input) throws OrtException {
        try (OnnxTensor in = input.dtype() == DType.INT64
                ? OnnxTensor.createTensor(ENV, LongBuffer.wrap(input.toLongArray()), input.shape())
                : OnnxTensor.createTensor(ENV, FloatBuffer.wrap(input.toFloatArray()), input.shape());
             OrtSession.Result result = session.run(Map.of("input", in))) {
            OnnxTensor out = (OnnxTensor) result.get("output").orElseThrow();
            long[] shape = out.getInfo().getShape();
            FloatBuffer buffer = out.getFloatBuffer();
            float[] data = new float[buffer.remaining()];
            buffer.get(data);
            return Tensor.fromFloats(data, shape);
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
