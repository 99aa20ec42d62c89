/**
 * Training checkpoints: the tutorials' checkpoint dicts with typed accessors, saved and loaded
 * through {@link dev.pith.io.torch.Torch}.
 */
package dev.pith.checkpoint;
