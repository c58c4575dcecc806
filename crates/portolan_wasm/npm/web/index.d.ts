export * from '../index.js';

/** Load and instantiate the wasm module; call once before anything else. */
export default function init(
  input?: { module_or_path: RequestInfo | URL | Response | BufferSource | WebAssembly.Module },
): Promise<unknown>;
