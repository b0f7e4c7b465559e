/**
 * The value store's encoding: the lossless tagged JSON of lang/value-json.ts (kept in lang/ because
 * exported resources, decoded by interpret, use it too).
 */
export { encodeValue, decodeValue } from "../../lang/value-json.js";
