export class Group {
    parent;
    ids = [];
    children = new Set();
    constructor(parent) {
        this.parent = parent;
        parent?.children.add(this);
    }
    /** Every node of this group and its descendants (descendants first). */
    collect(out = []) {
        for (const c of this.children)
            c.collect(out);
        for (let i = this.ids.length - 1; i >= 0; i--)
            out.push(this.ids[i]);
        return out;
    }
    /** Forget this group (after its nodes were removed). */
    detach() {
        this.parent?.children.delete(this);
    }
}
export class Layer {
    parent;
    slots = new Map();
    /** prog/param scopes whose entries are registered here */
    registered = new Set();
    constructor(parent) {
        this.parent = parent;
    }
    bind(entry, id) {
        this.slots.set(entry, { k: "node", id });
    }
    lazy(entry, build) {
        this.slots.set(entry, { k: "thunk", build, busy: false });
    }
    /** The node of `entry`, building a lazy bind on first use; undefined when no layer knows it. */
    lookup(entry) {
        for (let l = this; l; l = l.parent) {
            const s = l.slots.get(entry);
            if (!s)
                continue;
            if (s.k === "node")
                return s.id;
            if (s.busy)
                throw new Error("internal: cyclic bind while lowering");
            s.busy = true;
            const id = s.build();
            l.slots.set(entry, { k: "node", id });
            return id;
        }
        return undefined;
    }
    root() {
        let l = this;
        while (l.parent)
            l = l.parent;
        return l;
    }
}
