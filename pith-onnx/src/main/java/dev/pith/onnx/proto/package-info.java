/**
 * Protocol Buffers wire format, written by hand for the handful of messages ONNX needs: a
 * {@link dev.pith.onnx.proto.ProtoMessage} is a list of numbered fields that knows its encoded
 * size, and a {@link dev.pith.onnx.proto.ProtoSink} writes it to a channel. Large byte fields (tensor
 * data) are not copied into the message: they are streamed from their memory when written.
 *
 * <p>Why not protobuf-java with generated classes: Pith only writes ONNX, never reads it; the
 * encoder is a page of code with no generated sources, no protoc, and no runtime dependency, and it
 * streams weights of any size straight from tensor storage instead of building a byte array of the
 * whole model (vgg16 is over 500 MB).
 */
package dev.pith.onnx.proto;
