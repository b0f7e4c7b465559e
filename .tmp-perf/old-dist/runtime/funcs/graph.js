/** A structurally invalid edit. Not a runtime diagnostic: the lowering produced a bad graph. */
export class GraphError extends Error {
    name = "GraphError";
}
