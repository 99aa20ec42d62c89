/**
 * The training loop of the PyTorch tutorials, with checkpoints that resume exactly:
 * {@link dev.pith.training.Trainer} runs optimizer steps over a {@link dev.pith.data.DataLoader}
 * and keeps the counters, the random states and a {@link dev.pith.training.History} of metrics; its
 * {@link dev.pith.training.Trainer#checkpoint()} is the tutorial's checkpoint dict
 * ({@code epoch}, {@code model_state_dict}, {@code optimizer_state_dict}, {@code loss}, ...), which
 * {@link dev.pith.training.Trainer#restore} loads into fresh objects, in this process or another.
 * {@link dev.pith.training.Evaluation} predicts classes without recording a graph.
 */
package dev.pith.training;
