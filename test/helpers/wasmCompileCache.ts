/**
 * One compiled copy of each WebAssembly module per test worker. Every test file opens its own embedded
 * databases, and each PGlite compiles PostgreSQL (10 MB of WebAssembly) and loads PostGIS (another large
 * module, linked at run time) from bytes again; V8 then re-optimises their hot functions for every instance.
 * Measured on this 2-core machine: about 2.5 s of CPU per open in compiler threads, out of 5.5 s. Here
 * WebAssembly.compile, instantiate and new WebAssembly.Module keep the compiled module by a hash of its bytes,
 * so later opens instantiate the module already compiled (and optimised). An instance is still new each time:
 * its memory and state are its own; only the immutable code is shared. Tests only (a setup file of the API,
 * crash and browser projects): the app opens its one database once.
 */
import { createHash } from 'node:crypto';

const marker = Symbol.for('park-atlas.wasm-compile-cache');
const host = globalThis as typeof globalThis & { [marker]?: true };

if (!host[marker]) {
  host[marker] = true;
  const cache = new Map<string, WebAssembly.Module>();
  const bytesOf = (source: BufferSource): Uint8Array =>
    source instanceof ArrayBuffer ? new Uint8Array(source) : new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  const keyOf = (source: BufferSource) => createHash('sha256').update(bytesOf(source)).digest('hex');

  const OriginalModule = WebAssembly.Module;
  const originalCompile = WebAssembly.compile;
  const originalInstantiate = WebAssembly.instantiate;

  WebAssembly.compile = async (source: BufferSource) => {
    const key = keyOf(source);
    let module = cache.get(key);
    if (!module) cache.set(key, (module = await originalCompile(source)));
    return module;
  };
  WebAssembly.Module = new Proxy(OriginalModule, {
    construct(target, [source]: [BufferSource]) {
      const key = keyOf(source);
      let module = cache.get(key);
      if (!module) cache.set(key, (module = new target(source)));
      return module;
    },
  });
  // instantiate(bytes) answers { module, instance }; instantiate(module) answers the instance alone.
  WebAssembly.instantiate = (async (source: BufferSource | WebAssembly.Module, imports?: WebAssembly.Imports) => {
    if (source instanceof OriginalModule) return originalInstantiate(source, imports);
    const module = await WebAssembly.compile(source);
    return { module, instance: await originalInstantiate(module, imports) };
  }) as typeof WebAssembly.instantiate;
}
