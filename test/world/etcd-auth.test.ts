/**
 * EtcdWorld's security options against real etcd servers: user/password authentication (auth
 * enabled through the etcd API) and TLS on an `https://` client URL with a CA made by openssl.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Etcd3 } from "etcd3";
import { EtcdServer } from "../../runtime/etcd/server.js";
import { EtcdWorld } from "../../runtime/world/etcd.js";
import { freePorts, skipWithoutEtcd, startTestEtcd, tmpBase } from "../helpers/etcd.js";

test("user/password: the right credentials work, wrong or missing ones are refused", { skip: skipWithoutEtcd() }, async () => {
  const etcd = await startTestEtcd({ tag: "auth" });
  const worlds: EtcdWorld[] = [];
  try {
    const admin = new Etcd3({ hosts: etcd.endpoints });
    await admin.role("root").create();
    await admin.user("root").create("rootpw");
    await admin.user("root").addRole("root");
    await admin.auth.authEnable({});
    admin.close();

    const w = await EtcdWorld.connect({ endpoints: etcd.endpoints, hostname: "a", auth: { username: "root", password: "rootpw" }, connectTimeoutMs: 3000 });
    worlds.push(w);
    await w.set("secret", "s");
    assert.equal(await w.get("secret"), "s");

    await assert.rejects(EtcdWorld.connect({ endpoints: etcd.endpoints, hostname: "b", auth: { username: "root", password: "wrong" }, connectTimeoutMs: 1000 }), /cannot reach/);
    await assert.rejects(EtcdWorld.connect({ endpoints: etcd.endpoints, hostname: "c", connectTimeoutMs: 1000 }), /cannot reach/);
  } finally {
    for (const w of worlds) w.disconnect();
    await etcd.stop();
  }
});

const haveOpenssl = spawnSync("openssl", ["version"], { stdio: "ignore" }).status === 0;

test("TLS: an https:// endpoint with the cluster's CA", { skip: skipWithoutEtcd() || (!haveOpenssl && "no openssl") }, async () => {
  const dir = tmpBase("tls");
  const ssl = (...args: string[]) => {
    const r = spawnSync("openssl", args, { cwd: dir, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`openssl ${args.join(" ")}: ${r.stderr}`);
  };
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  ssl("req", "-x509", ...ec, "-keyout", "ca.key", "-out", "ca.crt", "-days", "1", "-subj", "/CN=steward-test-ca");
  ssl("req", ...ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
  writeFileSync(join(dir, "ext"), "subjectAltName=IP:127.0.0.1\n");
  ssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.crt", "-days", "1", "-extfile", "ext");

  const [client, peer] = (await freePorts(2)) as [number, number];
  const s = new EtcdServer({
    name: "tls",
    dataDir: join(dir, "data"),
    clientUrls: [`https://127.0.0.1:${client}`],
    peerUrls: [`http://127.0.0.1:${peer}`],
    heartbeatMs: 10,
    electionMs: 100,
    restart: false,
    extraArgs: ["--cert-file", join(dir, "server.crt"), "--key-file", join(dir, "server.key")],
  });
  let w: EtcdWorld | undefined;
  try {
    await s.start();
    const endpoints = [`https://127.0.0.1:${client}`];
    w = await EtcdWorld.connect({ endpoints, hostname: "t", tls: { ca: readFileSync(join(dir, "ca.crt")) }, connectTimeoutMs: 5000 });
    await w.set("over-tls", "yes");
    assert.equal(await w.get("over-tls"), "yes");
    // Without the CA the server's certificate is not trusted.
    await assert.rejects(EtcdWorld.connect({ endpoints, hostname: "u", connectTimeoutMs: 1000 }), /cannot reach/);
  } finally {
    w?.disconnect();
    await s.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});
