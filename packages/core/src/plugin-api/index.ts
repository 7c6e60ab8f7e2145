// `@upframe/core/plugin`: what a plugin author imports. Everything here loads in plain Node with
// no `reflect-metadata` and no tsyringe at run time (only type imports reach the DI library), so
// a plugin's own tests and scripts can import it without any setup. Keep it that way: the
// import-safety test spawns Node on the built entry.
export { PLUGIN_API_VERSION } from './api-version.js';
export type { PluginApiVersion } from './api-version.js';
export { definePlugin } from './define-plugin.js';
export type { UpframePluginDefinition, PluginHost, PluginRegistrar, PluginEntry, PluginEntryContext, PluginOptions } from './define-plugin.js';
export { ERROR_CODES, UpframeError, OrderViolationError, SequenceValidationError, cancelledError, isUpframeError, isErrorCode } from '../errors.js';
export { isOutOfMemory, isOutOfMemoryMessage, outOfMemoryError } from '../out-of-memory.js';
export type { ErrorCode, UpframeErrorOptions } from '../errors.js';
export { TOKENS } from '../tokens.js';
export { OPTION_TYPES, checkOptions, describeOption, describeOptionSchema, parseOptionPairs } from '../option-schema.js';
export type { OptionSchema, OptionSpec, OptionSource, OptionType, OptionValue, ParsedOptions } from '../option-schema.js';
export { PIXEL_LAYOUTS, SAMPLE_DEPTHS, channelsOf, sampleDepthOf, bytesPerSample, layoutOf, hasAlpha, frameBytes, ptsToSeconds } from '../frame.js';
export { depthOf, sampleBytes, samples16, bytesOf16, toDepth, toDepth8, toDepth16 } from '../sample-depth.js';
export type { Frame, Image, PixelLayout, Rational, SampleDepth } from '../frame.js';
export type { Lifecycle } from '../contracts/lifecycle.js';
export { TENSOR_LAYOUTS } from '../contracts/inference-backend.js';
export type { InferenceBackend, BackendCapabilities, BackendOptions, BackendInitInfo, DeviceRequest, TensorLayout } from '../contracts/inference-backend.js';
export type { DedupeStrategy, DedupeDecision, DedupeContext, DedupeOptions, DedupeStats } from '../contracts/dedupe-strategy.js';
export { IMAGE_FORMATS } from '../contracts/format-selector.js';
export type { FormatSelector, FormatChoice, FormatContext, FormatSelectorOptions, ImageFormat } from '../contracts/format-selector.js';
export { SOURCE_KINDS, PTS_ORIGINS } from '../contracts/frame-source.js';
export type { FrameSource, SourceInfo, SourceKind, SourceOptions, ColorInfo, PtsOrigin } from '../contracts/frame-source.js';
export type { FrameSink, SinkOpenInfo, SinkResult, SinkOptions } from '../contracts/frame-sink.js';
export { LOG_LEVELS, silentLogger, createMemoryLogger } from '../logger.js';
export type { Logger, LogLevel } from '../logger.js';
export { LazyBackend } from '../lazy-backend.js';
