/**
 * Data for training: a labelled {@link dev.pith.data.TensorDataset}, the handwritten
 * {@link dev.pith.data.Digits} shipped in the repository, a seeded stratified
 * {@link dev.pith.data.Split}, and a {@link dev.pith.data.DataLoader} whose shuffling can be saved
 * and restored, so that a resumed run sees exactly the batches the uninterrupted run would have.
 *
 * <pre>{@code
 * TensorDataset all = Digits.load(Path.of("data/digits/digits.csv.gz"));
 * Split split = Split.stratified(all.labels(), 0.2, 0);
 * DataLoader train = new DataLoader(all.subset(split.train()), 32, true, new Generator(1));
 * for (Batch b : train) {            // one epoch
 *     Tensor logits = model.forward(b.inputs());
 * }
 * }</pre>
 */
package dev.pith.data;
