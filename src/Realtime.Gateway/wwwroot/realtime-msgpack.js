// The browser client's MessagePack codec as the gateway serves it (realtime.js imports it when asked for
// protocol 'msgpack'): @msgpack/msgpack's ES modules, unmodified, under ./realtime-msgpack/ (ISC licence
// there). The npm package's realtime-msgpack.js takes the same two functions from its @msgpack/msgpack
// dependency instead.
export { encode } from './realtime-msgpack/encode.mjs';
export { decode } from './realtime-msgpack/decode.mjs';
