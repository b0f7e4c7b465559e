/**
 * EtcdWorld's security options against real etcd servers: user/password authentication (auth
 * enabled through the etcd API) and TLS on an `https://` client URL with a CA made by openssl.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { EtcdWorld } from "../../runtime/world/etcd.js";
import { enableEtcdAuth, haveOpenssl, skipWithoutEtcd, startTestEtcd, startTlsEtcd } from "../helpers/etcd.js";

test("user/password: the right credentials work, wrong or missing ones are refused", { skip: skipWithoutEtcd() }, async () => {
  const etcd = await startTestEtcd({ tag: "auth" });
  const worlds: EtcdWorld[] = [];
  try {
    await enableEtcdAuth(etcd.endpoints, "rootpw");

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

test("TLS: an https:// endpoint with the cluster's CA", { skip: skipWithoutEtcd() || (!haveOpenssl() && "no openssl") }, async () => {
  const s = await startTlsEtcd("tls");
  let w: EtcdWorld | undefined;
  try {
    const endpoints = [s.endpoint];
    w = await EtcdWorld.connect({ endpoints, hostname: "t", tls: { ca: s.ca }, connectTimeoutMs: 5000 });
    await w.set("over-tls", "yes");
    assert.equal(await w.get("over-tls"), "yes");
    // Without the CA the server's certificate is not trusted.
    await assert.rejects(EtcdWorld.connect({ endpoints, hostname: "u", connectTimeoutMs: 1000 }), /cannot reach/);
  } finally {
    w?.disconnect();
    await s.stop();
  }
});
