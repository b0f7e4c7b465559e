// Installs the system programs the tests run for real (architecture: "tests use real parts"),
// so that `npm test` works on a fresh Debian machine. Only as root, only what is missing:
//   etcd            (Debian package etcd-server)       — the World tests start real etcd servers
//   systemd-nspawn  (Debian package systemd-container) — svc/cron tests boot a real systemd
// `apt-get update` runs only when an install fails because the package index lacks a package.
import { spawnSync } from "node:child_process";

const NEEDS = [
  { bin: "etcd", pkg: "etcd-server" },
  { bin: "systemd-nspawn", pkg: "systemd-container" },
];

function has(bin) {
  return spawnSync("sh", ["-c", `command -v ${bin}`], { stdio: "ignore" }).status === 0;
}

function apt(args) {
  return spawnSync("apt-get", args, {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  }).status;
}

export function provision() {
  const missing = NEEDS.filter((n) => !has(n.bin)).map((n) => n.pkg);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0 || !has("apt-get")) {
    console.error(`provision: missing ${missing.join(", ")} and not root on Debian: the tests that need them will fail`);
    return;
  }
  console.error(`provision: apt-get install -y ${missing.join(" ")}`);
  const opts = ["-y", "-q", "-o", "DPkg::Lock::Timeout=120", "install", ...missing];
  if (apt(opts) !== 0) {
    apt(["-q", "update"]);
    if (apt(opts) !== 0) console.error(`provision: could not install ${missing.join(", ")}`);
  }
}
