/**
 * systemd naming rules the adapter needs: D-Bus object paths of units and bus addresses.
 */
import { homedir } from "node:os";

/** `/org/freedesktop/systemd1/unit/<label>` for a unit name; systemd's bus_label_escape (src/basic/bus-label.c). */
export function unitObjectPath(unit: string): string {
  return "/org/freedesktop/systemd1/unit/" + busLabelEscape(unit);
}

/** `sshd.service` → `sshd_2eservice`: keep [A-Za-z0-9] (no digit first), `_xx` hex for every other byte. */
export function busLabelEscape(s: string): string {
  if (s === "") return "_";
  let out = "";
  const bytes = Buffer.from(s, "utf8");
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    const alpha = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    const digit = c >= 0x30 && c <= 0x39;
    if (alpha || (digit && i > 0)) out += String.fromCharCode(c);
    else out += "_" + c.toString(16).padStart(2, "0");
  }
  return out;
}

/** The system bus: `$DBUS_SYSTEM_BUS_ADDRESS`, else the well-known socket (as sd_bus_open_system). */
export function systemBusAddress(): string {
  return process.env["DBUS_SYSTEM_BUS_ADDRESS"] || "unix:path=/run/dbus/system_bus_socket";
}

/**
 * The calling user's bus, where `systemd --user` is reachable: `$DBUS_SESSION_BUS_ADDRESS`, else
 * `$XDG_RUNTIME_DIR/bus`, else `/run/user/<uid>/bus` (as sd_bus_open_user; mgmt uses godbus'
 * session bus, which reads the same variable).
 */
export function userBusAddress(): string {
  const env = process.env["DBUS_SESSION_BUS_ADDRESS"];
  if (env) return env;
  const runtimeDir = process.env["XDG_RUNTIME_DIR"] || `/run/user/${process.getuid?.() ?? 0}`;
  return `unix:path=${runtimeDir}/bus`;
}

/** Unit-file directories systemd reads, most specific first (systemd.unit(5) "Unit File Load Path"). */
export function unitSearchDirs(session: boolean): readonly string[] {
  if (session) {
    const config = process.env["XDG_CONFIG_HOME"] || `${homedir()}/.config`;
    return [`${config}/systemd/user/`, "/etc/systemd/user/", "/usr/lib/systemd/user/", "/lib/systemd/user/"];
  }
  return ["/etc/systemd/system/", "/run/systemd/system/", "/usr/lib/systemd/system/", "/lib/systemd/system/"];
}

/** Where Steward writes unit files it owns: `/etc/systemd/system/`, or `~/.config/systemd/user/` for the user manager. */
export function defaultUnitDir(session: boolean): string {
  return unitSearchDirs(session)[0]!;
}
