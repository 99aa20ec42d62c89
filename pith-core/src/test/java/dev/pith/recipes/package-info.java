/**
 * The PyTorch tutorials' checkpoint recipes, in Java: each class is a readable example and the
 * test that proves it.
 *
 * <ol>
 *   <li>{@link dev.pith.recipes.Recipe1WeightsOnlyTest}: save {@code model.stateDict()}, load it into a
 *       fresh model, {@code eval()}, predict.</li>
 *   <li>{@link dev.pith.recipes.Recipe2CheckpointDictTest}: the checkpoint dict {@code {epoch,
 *       model_state_dict, optimizer_state_dict, loss}}, loaded in a new process that continues training.</li>
 *   <li>{@link dev.pith.recipes.Recipe3SeveralModelsTest}: a GAN's generator, discriminator and their
 *       optimizers in one file.</li>
 *   <li>{@link dev.pith.recipes.Recipe4WarmStartTest}: another model's weights with {@code strict=false},
 *       the missing/unexpected report, renamed layers mapped.</li>
 *   <li>{@link dev.pith.recipes.Recipe5DevicesAndDataParallelTest}: a file saved from a GPU loads on the
 *       CPU; DataParallel's {@code module.} prefix removed and added.</li>
 *   <li>{@link dev.pith.recipes.Recipe6FreezeAndFineTuneTest}: every layer frozen but the last;
 *       {@code requires_grad} is not in the state_dict.</li>
 *   <li>{@link dev.pith.recipes.Recipe7ExactResumeTest}: N steps in one JVM equal K steps, a save, and
 *       N-K steps in a new JVM, bit for bit.</li>
 * </ol>
 */
package dev.pith.recipes;
