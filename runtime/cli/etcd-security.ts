/**
 * The etcd client's security flags, shared by `steward run --seeds` and `steward deploy`
 * (issue 6 §1: TLS and user/password authentication for `https://` endpoints). The password is
 * never a flag — argv is visible to every user in `ps` — but comes from `--etcd-password-file` or
 * the `STEWARD_ETCD_PASSWORD` environment variable.
 */
import { readFileSync } from "node:fs";
import type { EtcdTlsOptions } from "../world/etcd-client.js";

export interface RawEtcdSecurity {
  readonly etcdCa?: string;
  readonly etcdCert?: string;
  readonly etcdKey?: string;
  readonly etcdUser?: string;
  readonly etcdPasswordFile?: string;
}

export interface EtcdSecurity {
  readonly tls?: EtcdTlsOptions;
  readonly auth?: { readonly username: string; readonly password: string };
}

/** The commander options, declared once for every command that talks to etcd. */
export const ETCD_SECURITY_FLAGS: readonly (readonly [flag: string, help: string])[] = [
  ["--etcd-ca <file>", "PEM CA certificate(s) to trust for https:// endpoints (default: Node's roots and NODE_EXTRA_CA_CERTS)"],
  ["--etcd-cert <file>", "PEM client certificate, for servers that require one (with --etcd-key)"],
  ["--etcd-key <file>", "PEM key of --etcd-cert"],
  ["--etcd-user <name>", "etcd user; the password comes from --etcd-password-file or $STEWARD_ETCD_PASSWORD"],
  ["--etcd-password-file <file>", "file holding the --etcd-user password (one line)"],
];

export const hasEtcdSecurityFlags = (raw: RawEtcdSecurity): boolean =>
  [raw.etcdCa, raw.etcdCert, raw.etcdKey, raw.etcdUser, raw.etcdPasswordFile].some((v) => v !== undefined);

/** Read the flags' files; a one-line reason when they are inconsistent or unreadable. */
export function parseEtcdSecurity(raw: RawEtcdSecurity, env: NodeJS.ProcessEnv = process.env): EtcdSecurity | string {
  const read = (flag: string, file: string): Buffer | string => {
    try {
      return readFileSync(file);
    } catch (e) {
      return `${flag}: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
    }
  };
  if ((raw.etcdCert === undefined) !== (raw.etcdKey === undefined)) return "--etcd-cert and --etcd-key go together";
  let tls: EtcdTlsOptions | undefined;
  if (raw.etcdCa !== undefined || raw.etcdCert !== undefined) {
    const t: { ca?: Buffer; cert?: Buffer; key?: Buffer } = {};
    for (const [flag, file, field] of [
      ["--etcd-ca", raw.etcdCa, "ca"],
      ["--etcd-cert", raw.etcdCert, "cert"],
      ["--etcd-key", raw.etcdKey, "key"],
    ] as const) {
      if (file === undefined) continue;
      const b = read(flag, file);
      if (typeof b === "string") return b;
      t[field] = b;
    }
    tls = t;
  }
  let auth: EtcdSecurity["auth"];
  if (raw.etcdUser !== undefined) {
    if (raw.etcdUser === "") return "--etcd-user must not be empty";
    let password = env.STEWARD_ETCD_PASSWORD || undefined; // set but empty: not given
    if (raw.etcdPasswordFile !== undefined) {
      const b = read("--etcd-password-file", raw.etcdPasswordFile);
      if (typeof b === "string") return b;
      password = b.toString("utf8").replace(/\r?\n$/, "");
    }
    if (password === undefined) return "--etcd-user needs a password: --etcd-password-file FILE or $STEWARD_ETCD_PASSWORD";
    auth = { username: raw.etcdUser, password };
  } else if (raw.etcdPasswordFile !== undefined) return "--etcd-password-file needs --etcd-user";
  return { ...(tls ? { tls } : {}), ...(auth ? { auth } : {}) };
}
