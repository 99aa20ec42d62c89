package dev.pith.trace;

import dev.pith.nn.functional.F;
import dev.pith.tensor.DType;
import dev.pith.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TracingTest {
    private final Tensor x = Tensor.ones(DType.FLOAT32, 2, 3, 4, 4);
    private final Tensor w = Tensor.ones(DType.FLOAT32, 5, 3, 3, 3);

    @Test
    void opsReportNameInputsOutputAttributesAndTheCallingLine() {
        List<TracedOp> ops = new ArrayList<>();
        Tensor y;
        try (var trace = Tracing.start(ops::add)) {
            assertThat(Tracing.isActive()).isTrue();
            y = F.conv2d(x, w, null, new int[]{2}, new int[]{1, 0}, null, 1);
        }
        assertThat(Tracing.isActive()).isFalse();
        TracedOp conv = ops.getLast();
        assertThat(conv.name()).isEqualTo("conv2d");
        assertThat(conv.output()).isSameAs(y);
        assertThat(conv.inputs()).hasSize(3);
        assertThat(conv.input(0)).isSameAs(x);
        assertThat(conv.input(1)).isSameAs(w);
        assertThat(conv.input(2)).isNull();
        assertThat(conv.ints("stride")).containsExactly(2, 2);
        assertThat(conv.ints("padding")).containsExactly(1, 0);
        assertThat(conv.ints("dilation")).containsExactly(1, 1);
        assertThat(conv.integer("groups")).isEqualTo(1);
        assertThat(conv.where()).startsWith("dev.pith.trace.TracingTest.opsReportNameInputsOutputAttributesAndTheCallingLine(TracingTest.java:");
    }

    @Test
    void aCompositeOpReportsAfterItsPartsWithTheSameOutput() {
        List<TracedOp> ops = new ArrayList<>();
        Tensor y;
        try (var trace = Tracing.start(ops::add)) {
            y = F.flatten(x.transpose(1, 2), 1, -1);   // not contiguous: copy, view, then flatten
        }
        assertThat(ops).extracting(TracedOp::name).containsExactly("permute", "copy", "view", "flatten");
        assertThat(ops.get(2).output()).isSameAs(y);
        assertThat(ops.getLast().output()).isSameAs(y);
        assertThat(ops.getLast().input(0)).isSameAs(ops.getFirst().output());
        assertThat(ops.getLast().integer("startDim")).isEqualTo(1);
        assertThat(ops.getLast().integer("endDim")).isEqualTo(3);
    }

    @Test
    void anOpReturningItsInputReportsNothing() {
        List<TracedOp> ops = new ArrayList<>();
        try (var trace = Tracing.start(ops::add)) {
            assertThat(F.dropout(x, 0.5, false, null)).isSameAs(x);
            assertThat(x.contiguous()).isSameAs(x);
            assertThat(x.squeeze(1)).isSameAs(x);
        }
        assertThat(ops).isEmpty();
    }

    @Test
    void dimensionsAreRecordedNormalised() {
        TracedOp sum = lastOp(() -> x.sum(new int[]{-1, 1}, true));
        assertThat(sum.name()).isEqualTo("sum");
        assertThat(sum.ints("dims")).containsExactly(3, 1);
        assertThat(sum.flag("keepdim")).isTrue();
        assertThat(lastOp(() -> F.softmax(x, -1)).integer("dim")).isEqualTo(3);
        assertThat(lastOp(() -> x.unsqueeze(-1)).integer("dim")).isEqualTo(4);
        assertThat(lastOp(() -> x.permute(0, -1, 1, 2)).ints("order")).containsExactly(0, 3, 1, 2);
        assertThat(lastOp(() -> x.transpose(-1, 1)).ints("order")).containsExactly(0, 3, 2, 1);
    }

    private static TracedOp lastOp(Runnable op) {
        List<TracedOp> ops = new ArrayList<>();
        try (var trace = Tracing.start(ops::add)) {
            op.run();
        }
        return ops.getLast();
    }

    @Test
    void scopesNestAndTracesBelongToTheirThread() throws Exception {
        List<TracedOp> outer = new ArrayList<>();
        List<TracedOp> inner = new ArrayList<>();
        List<TracedOp> fromOtherThread = new ArrayList<>();
        try (var a = Tracing.start(outer::add)) {
            x.add(1.0);
            try (var b = Tracing.start(inner::add)) {
                x.mul(2.0);
                Thread t = new Thread(() -> {
                    fromOtherThread.add(null);   // the thread ran
                    x.exp();
                });
                t.start();
                t.join();
            }
            x.neg();
        }
        x.abs();
        assertThat(outer).extracting(TracedOp::name).containsExactly("addScalar", "neg");
        assertThat(inner).extracting(TracedOp::name).containsExactly("mulScalar");
        assertThat(outer.getFirst().real("value")).isEqualTo(1.0);
        assertThat(fromOtherThread).hasSize(1);
    }

    @Test
    void withoutATraceOpsRunAsBefore() {
        assertThat(Tracing.isActive()).isFalse();
        assertThat(Tracing.record(x, "anything", w)).isSameAs(x);
        assertThat(F.relu(x).toFloatArray()).containsOnly(1f);
    }
}
