// The MessagePack codec realtime.js imports for protocol 'msgpack': the @msgpack/msgpack dependency.
// (The gateway serves a file of this name that takes the same two functions from its own copy.)
export { encode, decode } from '@msgpack/msgpack';
