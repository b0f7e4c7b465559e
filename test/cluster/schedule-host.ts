/**
 * A host in its own process for the scheduler tests: connects an EtcdWorld, runs one real
 * `schedule` resource (volunteers with the given options) and prints `ready` once its candidacy is
 * stored. The test SIGKILLs it to see what the cluster does with a host that dies.
 *
 * Usage: node --import tsx schedule-host.ts ENDPOINTS HOSTNAME NAMESPACE PARAMS_JSON
 */
import { EtcdWorld } from "../../runtime/world/etcd.js";
import { candidateKey } from "../../runtime/world/etcd-schedule.js";
import { getKindImpl } from "../../runtime/engine/resource.js";
import "../../stdlib/resources/schedule.js";
import { makeContext } from "../resources/harness.js";

const [endpoints = "", hostname = "", ns = "", paramsJson = "{}"] = process.argv.slice(2);
const raw = JSON.parse(paramsJson) as Record<string, string | number | boolean>;
// JSON has no bigint: numbers are mcl ints here.
const params = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, typeof v === "number" ? BigInt(v) : v]));
const namespace = process.env["STEWARD_TEST_NS"] ?? "/steward/";
const world = await EtcdWorld.connect({ endpoints: endpoints.split(","), hostname, namespace, sessionTtl: Number(process.env["STEWARD_TEST_SESSION_TTL"] ?? 10) });
// The schedule kind needs no state directory: none is created (a SIGKILLed child could not remove it).
const h = makeContext("schedule", ns, "/nonexistent/steward-schedule-host");
const res = getKindImpl("schedule")!.create(ns, { namespace: ns, ...params });
await res.init({ ...h.ctx, hostname, world });
await res.checkApply(true, h.abort.signal);
for (;;) {
  if ((await world.client.get(`${namespace}${candidateKey(ns, hostname)}`).string()) !== null) break;
  await new Promise((r) => setTimeout(r, 10));
}
process.stdout.write("ready\n");
// Runs until killed.
setInterval(() => undefined, 1 << 30);
