package dev.pith.demo;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressBarTest {
    private static String run(boolean terminal) {
        StringWriter text = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(text), terminal, 10);
        for (int epoch = 1; epoch <= 2; epoch++) {
            for (int b = 1; b <= 3; b++) {
                bar.onBatch(epoch, b, 3, 0.5);
            }
            bar.onEpoch(epoch, 0.5);
            bar.epochDone(epoch, 0.5, 0.9, Duration.ofMillis(1500));
        }
        return text.toString();
    }

    @Test
    void plainLinesWhenNotATerminal() {
        assertThat(run(false)).isEqualTo(
                "epoch  1/10  loss 0.5000  test accuracy 90.0%  1.5 s\n"
                        + "epoch  2/10  loss 0.5000  test accuracy 90.0%  1.5 s\n");
    }

    @Test
    void onATerminalOneLineIsRedrawnPerEpoch() {
        String out = run(true);
        String[] lines = out.split("\n", -1);          // ends with "\n": the last item is empty
        assertThat(lines).hasSize(3);
        assertThat(lines[0]).startsWith("\repoch  1/10 [█████████░░░░░░░░░░░░░░░░░░░] 1/3  loss 0.5000")
                .endsWith("\repoch  1/10 [████████████████████████████] 3/3  loss 0.5000  test accuracy 90.0%  1.5 s\033[K");
        assertThat(lines[2]).isEmpty();
    }
}
