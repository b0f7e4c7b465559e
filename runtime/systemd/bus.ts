/**
 * A small D-Bus client connection: method calls, match rules and signal dispatch. This is the only
 * module that imports `dbus-next` (ecosystem.md §6: the library has been unmaintained since 2022,
 * so it stays behind this one file and can be replaced without touching the systemd adapter).
 *
 * Only the low-level message API of dbus-next is used: `getProxyObject` would introspect every
 * object (one more round trip plus XML parsing per unit), and the systemd interfaces we call are
 * few and stable.
 *
 * ```ts
 * const bus = await DBusConnection.connect("unix:path=/run/dbus/system_bus_socket");
 * const [version] = await bus.call({ destination, path, iface: "org.freedesktop.DBus.Properties", member: "Get", signature: "ss", body: [i, "Version"] });
 * const stop = await bus.onSignal({ path: "/org/freedesktop/systemd1" }, (s) => console.log(s.member, s.body));
 * bus.close();
 * ```
 */
import { DBusError, Message, MessageType, sessionBus, Variant, type MessageBus } from "dbus-next";

export { Variant };

export interface CallOptions {
  readonly destination: string;
  readonly path: string;
  readonly iface: string;
  readonly member: string;
  readonly signature?: string;
  readonly body?: readonly unknown[];
}

/** A received signal. */
export interface Signal {
  readonly sender: string;
  readonly path: string;
  readonly iface: string;
  readonly member: string;
  readonly body: readonly unknown[];
}

/** Which signals a listener wants; every given field must match. Also sent to the bus as a match rule. */
export interface SignalFilter {
  readonly sender?: string;
  readonly path?: string;
  readonly iface?: string;
  readonly member?: string;
}

/** A D-Bus error reply (`name` is the error name, e.g. `org.freedesktop.systemd1.NoSuchUnit`). */
export class BusError extends Error {
  constructor(
    readonly errorName: string,
    message: string,
  ) {
    super(message);
    this.name = "BusError";
  }
}

/** Method calls that get no reply within this time fail (systemd answers in milliseconds; jobs are awaited separately). */
const CALL_TIMEOUT_MS = 25_000;
const CONNECT_TIMEOUT_MS = 10_000;

interface Listener {
  readonly filter: SignalFilter;
  readonly fn: (s: Signal) => void;
}

export class DBusConnection {
  readonly #bus: MessageBus;
  readonly #listeners = new Set<Listener>();
  /** match rule → refcount: the bus daemon keeps one copy per AddMatch, so we add each rule once. */
  readonly #rules = new Map<string, number>();
  readonly #pending = new Set<(e: Error) => void>();
  readonly #closeHandlers = new Set<(e: Error) => void>();
  #closed: Error | undefined;

  private constructor(bus: MessageBus) {
    this.#bus = bus;
    bus.on("message", (msg: Message) => {
      if (msg.type !== MessageType.SIGNAL) return;
      const s: Signal = { sender: msg.sender, path: msg.path, iface: msg.interface, member: msg.member, body: msg.body };
      for (const l of [...this.#listeners]) if (matches(l.filter, s)) l.fn(s);
    });
    bus.on("error", (e: unknown) => this.#fail(e instanceof Error ? e : new Error(String(e))));
    // dbus-next's MessageBus does not report the end of its stream, and its pending calls never
    // settle after it; the connection object underneath does report it.
    const conn = (bus as unknown as { _connection?: { on(ev: "end", fn: () => void): void } })._connection;
    conn?.on("end", () => this.#fail(new Error("D-Bus connection closed by the peer")));
  }

  /** Connect and authenticate (`Hello`) on the bus at `address` (`unix:path=/…`, `unix:abstract=…`, `tcp:host=…,port=…`). */
  static async connect(address: string): Promise<DBusConnection> {
    const bus = sessionBus({ busAddress: address });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error(`timed out connecting to D-Bus at ${address}`)), CONNECT_TIMEOUT_MS);
      const fail = (e: unknown): void => {
        clearTimeout(timer);
        bus.removeListener("connect", ok);
        try {
          bus.disconnect();
        } catch {
          // the stream may not exist any more
        }
        const why = e instanceof Error ? e.message : String(e);
        reject(new Error(`cannot connect to D-Bus at ${address}: ${why}`));
      };
      const ok = (): void => {
        clearTimeout(timer);
        bus.removeListener("error", fail);
        resolve();
      };
      bus.once("connect", ok);
      bus.once("error", fail);
    });
    return new DBusConnection(bus);
  }

  get closed(): boolean {
    return this.#closed !== undefined;
  }

  /** Call a method; resolves with the reply body. Rejects with {@link BusError} for error replies. */
  async call(o: CallOptions): Promise<unknown[]> {
    if (this.#closed) throw this.#closed;
    const msg = new Message({
      destination: o.destination,
      path: o.path,
      interface: o.iface,
      member: o.member,
      ...(o.signature ? { signature: o.signature, body: [...(o.body ?? [])] } : {}),
    });
    const what = `${o.iface}.${o.member}`;
    let onClose: ((e: Error) => void) | undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      const reply = await Promise.race([
        this.#bus.call(msg),
        new Promise<never>((_, reject) => {
          onClose = (e) => reject(new Error(`${what}: ${e.message}`));
          this.#pending.add(onClose);
          timer = setTimeout(() => reject(new Error(`${what}: no reply within ${CALL_TIMEOUT_MS / 1000} s`)), CALL_TIMEOUT_MS);
        }),
      ]);
      return reply?.body ?? [];
    } catch (e) {
      if (e instanceof DBusError) throw new BusError(e.type, `${what}: ${e.text || e.type}`);
      throw e;
    } finally {
      clearTimeout(timer);
      if (onClose) this.#pending.delete(onClose);
    }
  }

  /**
   * Listen to signals matching `filter` (the rule is also added on the bus daemon, refcounted).
   * Resolves once the bus has accepted the rule, so no signal sent after that is missed.
   */
  async onSignal(filter: SignalFilter, fn: (s: Signal) => void): Promise<() => void> {
    const rule = matchRule(filter);
    const listener: Listener = { filter, fn };
    this.#listeners.add(listener);
    const n = this.#rules.get(rule) ?? 0;
    this.#rules.set(rule, n + 1);
    if (n === 0) {
      try {
        await this.#busCall("AddMatch", rule);
      } catch (e) {
        this.#listeners.delete(listener);
        this.#unref(rule);
        throw e;
      }
    }
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.#listeners.delete(listener);
      if (this.#unref(rule) && !this.#closed) this.#busCall("RemoveMatch", rule).catch(() => {});
    };
  }

  /** Called once when the connection ends or fails (not after {@link close}). */
  onClose(fn: (e: Error) => void): () => void {
    this.#closeHandlers.add(fn);
    return () => this.#closeHandlers.delete(fn);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = new Error("D-Bus connection closed");
    this.#closeHandlers.clear();
    this.#rejectPending(this.#closed);
    this.#listeners.clear();
    try {
      this.#bus.disconnect();
    } catch {
      // already gone
    }
  }

  #busCall(member: "AddMatch" | "RemoveMatch", rule: string): Promise<unknown[]> {
    return this.call({ destination: "org.freedesktop.DBus", path: "/org/freedesktop/DBus", iface: "org.freedesktop.DBus", member, signature: "s", body: [rule] });
  }

  /** Drop one reference to `rule`; true when it was the last. */
  #unref(rule: string): boolean {
    const n = (this.#rules.get(rule) ?? 1) - 1;
    if (n > 0) {
      this.#rules.set(rule, n);
      return false;
    }
    this.#rules.delete(rule);
    return true;
  }

  #rejectPending(e: Error): void {
    for (const reject of [...this.#pending]) reject(e);
    this.#pending.clear();
  }

  #fail(e: Error): void {
    if (this.#closed) return;
    this.#closed = e;
    this.#rejectPending(e);
    const handlers = [...this.#closeHandlers];
    this.#closeHandlers.clear();
    for (const h of handlers) h(e);
    try {
      this.#bus.disconnect();
    } catch {
      // already gone
    }
  }
}

function matches(f: SignalFilter, s: Signal): boolean {
  // `sender` is not compared here: the daemon delivers signals with the unique name (":1.1") of a
  // well-known sender, and it has already applied the sender part of the match rule.
  return (f.path === undefined || f.path === s.path) && (f.iface === undefined || f.iface === s.iface) && (f.member === undefined || f.member === s.member);
}

function matchRule(f: SignalFilter): string {
  const parts = ["type='signal'"];
  if (f.sender) parts.push(`sender='${f.sender}'`);
  if (f.path) parts.push(`path='${f.path}'`);
  if (f.iface) parts.push(`interface='${f.iface}'`);
  if (f.member) parts.push(`member='${f.member}'`);
  return parts.join(",");
}
