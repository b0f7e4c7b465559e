#!/usr/bin/env node
/**
 * The `steward` bin (package.json `bin`, compiled to dist/runtime/cli/main.js by `prepare`).
 *
 * This file only wires commands to their implementations (one file per command, architecture.md
 * "Folders"). Its contract (architecture.md "CLI contract"): exit 0 / 1 (diagnostics) / 2 (usage,
 * with a one-line message on stderr); never a stack trace. Anything thrown that is not a usage
 * error is a bug in Steward and is reported as `steward: internal error: <one line>` with exit 70
 * (EX_SOFTWARE from sysexits.h).
 */
import { readFileSync, realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Command, CommanderError } from "commander";
import type { CliIo } from "./check.js";
import { ETCD_SECURITY_FLAGS } from "./etcd-security.js";

/** The TLS and authentication flags of every command that talks to an etcd cluster. */
function withEtcdSecurity(cmd: Command): Command {
  for (const [flag, help] of ETCD_SECURITY_FLAGS) cmd.option(flag, help);
  return cmd;
}

const EXIT_USAGE = 2;
const EXIT_INTERNAL = 70;

/** Commands of the contract that do not exist yet: they fail as usage errors, plainly. */
const NOT_YET: readonly string[] = [];

/** Set by `run`: the process exits as soon as the command returns (see the entry point below). */
let exitWhenDone = false;

let versionMemo: string | undefined;

/** package.json's version, read once: commander's `--version` and `run`'s `start` record both ask. */
function version(): string {
  return (versionMemo ??= readVersion());
}

function readVersion(): string {
  // Source (runtime/cli/) and build (dist/runtime/cli/) sit at different depths below the root.
  for (const rel of ["../../package.json", "../../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), "utf8")) as { name?: unknown; version?: unknown };
      if (pkg.name === "steward" && typeof pkg.version === "string") return pkg.version;
    } catch {
      // try the next candidate
    }
  }
  return "0.0.0";
}

/** First line of a message, without commander's `error: ` prefix. */
function oneLine(s: string): string {
  const first = s.trim().split("\n")[0] ?? "";
  return first.replace(/^error: /, "");
}

/**
 * Runs the CLI on `argv` (without node and script) and returns the exit code. `color` is asked
 * only by the commands that print diagnostics on stdout (it looks at process.stdout).
 */
export async function main(argv: readonly string[], io: CliIo, color: () => boolean): Promise<number> {
  let code = 0;
  const program = new Command();
  program
    .name("steward")
    .description("Steward: type-check and format mcl configuration programs")
    .version(version(), "-V, --version")
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s),
      writeErr: (s) => io.err(s),
      outputError: (s, write) => write(`steward: ${oneLine(s)} (see 'steward --help')\n`),
    })
    .showSuggestionAfterError(true)
    .allowExcessArguments(true)
    .action((_opts: unknown, cmd: Command) => {
      const first = cmd.args[0];
      io.err(
        first === undefined
          ? "steward: missing command (see 'steward --help')\n"
          : `steward: unknown command '${first}' (see 'steward --help')\n`,
      );
      code = EXIT_USAGE;
    });

  program
    .command("check")
    .description("parse, scope and type-check mcl programs (files or directories); no side effects")
    .argument("<paths...>", "a .mcl file, or a directory whose metadata.yaml or main.mcl names the entry")
    .option("--json", "print one JSON array of diagnostics on stdout")
    .option("-v, --verbose", "print how long checking took (on stderr)")
    .option("--hostname <name>", "value of $hostname while checking ('' allowed)")
    .action(async (paths: string[], opts: { json?: boolean; verbose?: boolean; hostname?: string }) => {
      // Commands are loaded on use: `--help` and `fmt` do not pay for loading the checker.
      const { runCheck } = await import("./check.js");
      code = await runCheck(
        paths,
        {
          json: opts.json === true,
          verbose: opts.verbose === true,
          color: color(),
          ...(opts.hostname === undefined ? {} : { hostname: opts.hostname }),
        },
        io,
      );
    });

  program
    .command("fmt")
    .description("rewrite mcl files in the canonical layout (a directory means every .mcl file below it)")
    .argument("<paths...>", ".mcl files or directories")
    .option("--check", "change nothing; list the files that would change and exit 1 if any")
    .action(async (paths: string[], opts: { check?: boolean }) => {
      const { runFmt } = await import("./fmt.js");
      code = await runFmt(paths, { check: opts.check === true }, io);
    });

  program
    .command("graph")
    .description("run a program until its first complete table and print the resource graph")
    .argument("<path>", "a .mcl file, or a directory whose metadata.yaml or main.mcl names the entry")
    .option("--json", "print the graph (or the diagnostics) as one JSON document")
    .option("--watch", "keep printing every new graph, one JSON document per line")
    .option("--hostname <name>", "value of $hostname ('' allowed)")
    .option("--timeout <seconds>", "how long to wait for the first complete table (default 10)")
    .action(async (path: string, opts: { json?: boolean; watch?: boolean; hostname?: string; timeout?: string }) => {
      const { runGraph, parseTimeout } = await import("./graph.js");
      const timeout = parseTimeout(opts.timeout);
      if (timeout === "invalid") {
        io.err(`steward: graph: --timeout must be a positive number of seconds, got '${opts.timeout ?? ""}'\n`);
        code = EXIT_USAGE;
        return;
      }
      const until = opts.watch
        ? new Promise<void>((resolve) => {
            process.once("SIGINT", () => resolve());
            process.once("SIGTERM", () => resolve());
          })
        : undefined;
      code = await runGraph(
        path,
        {
          json: opts.json === true,
          watch: opts.watch === true,
          color: color(),
          ...(opts.hostname === undefined ? {} : { hostname: opts.hostname }),
          ...(timeout === undefined ? {} : { timeout }),
          ...(until === undefined ? {} : { until }),
        },
        io,
      );
    });

  withEtcdSecurity(program.command("run"))
    .description("apply a program continuously; re-apply when its files change")
    .argument("[path]", "a .mcl file, or a directory whose metadata.yaml or main.mcl names the entry")
    .option("--converged-timeout <seconds>", "exit 0 once every resource has been converged for this long (0 allowed)")
    .option("--converged-status-file <file>", "append true/false to this file whenever the converged state changes")
    .option("--noop", "change nothing: log what would change")
    .option("--hostname <name>", "this host's name (default: the machine's hostname)")
    .option("--prefix <dir>", "state directory (default: /var/lib/steward for root, else ~/.cache/steward)")
    .option("--tmp-prefix", "use a fresh temporary state directory, removed at exit")
    .option("--sema <n>", "add the semaphore ':N' to every resource")
    .option("--no-autoedges", "do not add automatic edges")
    .option("--no-autogroup", "do not group resources automatically")
    .option("--no-cache", "always compile: do not use or fill the compile cache ($XDG_CACHE_HOME/steward/compile-cache)")
    .option("--max-runtime <seconds>", "exit 0 after this long")
    .option("--graphviz <file>", "write the resource graph in dot format to this file after every swap")
    .option("--log-level <level>", "debug, info, warn or error (default info)")
    .option("--log-format <format>", "text or json: one JSON event per line (default text)")
    .option("--seeds <urls>", "etcd endpoints (URL,URL…): share the World with a cluster; with PATH, publish it as the next deploy; without, run the newest deploy and follow every new one")
    .option("--etcd", "start and supervise a local etcd server (data in <prefix>/etcd/server) and use it, as --seeds does")
    .option("--client-url <urls>", "with --etcd: client URLs of the local server (default http://127.0.0.1:2379)")
    .option("--peer-url <urls>", "with --etcd: peer URLs of the local server (default http://127.0.0.1:2380)")
    .action(async (path: string | undefined, opts: import("./run-options.js").RawRunOptions) => {
      const { runRun } = await import("./run.js");
      exitWhenDone = true;
      code = await runRun(path, opts, io, { signals: true, color: process.stderr.isTTY === true && !process.env.NO_COLOR, version: version() });
    });

  withEtcdSecurity(program.command("deploy"))
    .description("store a program (every file of its module) as the next deploy of a cluster; every agent switches to it")
    .argument("[path]", "a .mcl file, or a directory whose metadata.yaml or main.mcl names the entry")
    .option("--seeds <urls>", "etcd endpoints of the cluster (URL,URL…)")
    .option("--previous <id>", "refuse unless the newest deploy is this one (0: none yet); default: the newest when read")
    .option("--hostname <name>", "recorded as the deploy's author and used as $hostname while checking")
    .option("--json", "print the result (or the diagnostics) as one JSON document on stdout")
    .action(async (path: string | undefined, opts: import("./deploy.js").RawDeployOptions) => {
      const { runDeploy } = await import("./deploy.js");
      code = await runDeploy(path, opts, io, { color: color() });
    });

  program
    .command("etcd")
    .description("run a supervised local etcd server in the foreground until SIGINT/SIGTERM")
    .option("--prefix <dir>", "state directory; data in <dir>/etcd/server (default as for run)")
    .option("--name <name>", "member name (default: the machine's hostname)")
    .option("--client-url <urls>", "client URLs to listen on (default http://127.0.0.1:2379)")
    .option("--peer-url <urls>", "peer URLs to listen on (default http://127.0.0.1:2380)")
    .option("--advertise-client-url <urls>", "client URLs to advertise (default: --client-url)")
    .option("--advertise-peer-url <urls>", "peer URLs to advertise (default: --peer-url)")
    .option("--initial-cluster <list>", "name=peerURL,… of every member (default: this one alone)")
    .option("--initial-cluster-state <state>", "new (default) or existing (joining a running cluster)")
    .option("--cluster-token <token>", "identical on every member of one cluster (default steward)")
    .action(async (opts: import("./etcd.js").RawEtcdOptions) => {
      const { runEtcd } = await import("./etcd.js");
      exitWhenDone = true;
      const until = new Promise<void>((resolve) => {
        process.once("SIGINT", () => resolve());
        process.once("SIGTERM", () => resolve());
      });
      code = await runEtcd(opts, io, until);
    });

  for (const name of NOT_YET) {
    program
      .command(name, { hidden: true })
      .allowUnknownOption(true)
      .allowExcessArguments(true)
      .action(() => {
        io.err(`steward: '${name}' is not implemented yet; this version provides 'check', 'fmt', 'graph' and 'run'\n`);
        code = EXIT_USAGE;
      });
  }

  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version "fail" with exit code 0; everything else commander rejects is usage.
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.exitCode === 0) return 0;
      return EXIT_USAGE;
    }
    throw e;
  }
  return code;
}

function internalError(e: unknown): void {
  const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  process.stderr.write(`steward: internal error: ${oneLine(msg) || "unknown"}\n`);
  if (process.env.STEWARD_DEBUG && e instanceof Error && e.stack) process.stderr.write(e.stack + "\n");
  process.exitCode = EXIT_INTERNAL;
}

// Run only as the entry point (not when a test imports `main`).
function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    // The npm bin is a symlink; node resolves it for import.meta.url but not in argv[1].
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}
if (isEntryPoint()) {
  // Deprecation notices of libraries (grpc-js names TLS servers by IP) are not for our users;
  // `node --trace-deprecation` still shows them to a developer.
  if (!process.execArgv.includes("--trace-deprecation")) process.noDeprecation = true;
  process.on("uncaughtException", (e) => {
    internalError(e);
    process.exit(EXIT_INTERNAL);
  });
  process.on("unhandledRejection", (e) => {
    internalError(e);
    process.exit(EXIT_INTERNAL);
  });
  // process.stdout is made on first use (Node then loads its stream class, ~2 ms): `run` logs
  // to stderr and never writes to stdout.
  let stdoutReady = false;
  const stdout = (): NodeJS.WriteStream => {
    if (!stdoutReady) {
      stdoutReady = true;
      // `steward check … | head` must not crash on a closed pipe.
      process.stdout.on("error", (e: NodeJS.ErrnoException) => {
        if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
      });
    }
    return process.stdout;
  };
  const io: CliIo = { out: (s) => void stdout().write(s), err: (s) => void process.stderr.write(s) };
  main(process.argv.slice(2), io, () => stdout().isTTY === true && !process.env.NO_COLOR).then(
    (code) => {
      process.exitCode = code;
      // `run` leaves watches, timers and child processes behind on purpose: it is done when it says so.
      if (exitWhenDone) process.exit(code);
    },
    (e: unknown) => internalError(e),
  );
}
