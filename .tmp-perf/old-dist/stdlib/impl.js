const impls = new Map();
/** Register implementations; called at module load by each stdlib/impl/<pkg>.ts file. */
export function registerImpls(table) {
    for (const [name, impl] of Object.entries(table)) {
        if (impls.has(name))
            throw new Error(`duplicate implementation of ${name}`);
        impls.set(name, impl);
    }
}
export function getImpl(name) {
    return impls.get(name);
}
export function implNames() {
    return [...impls.keys()];
}
