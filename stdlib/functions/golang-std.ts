/**
 * The `golang/<pkg>` wrappers (mcl-language.md §13): every exported, non-variadic Go function of
 * these packages whose params/result fit the §13 type rule (Go 1.22 std). Full names are
 * `golang/strings.trim_space`; the default import alias is the last path element (`strings`).
 */
import type { BuiltinFunc } from "../registry.js";
import { goPackage } from "./golang-wrap.js";

const STRINGS = goPackage("strings", "P", [
  "Clone(s string) string",
  "Compare(a, b string) int",
  "Contains(s, substr string) bool",
  "ContainsAny(s, chars string) bool",
  "Count(s, substr string) int",
  "EqualFold(s, t string) bool",
  "Fields(s string) []string",
  "HasPrefix(s, prefix string) bool",
  "HasSuffix(s, suffix string) bool",
  "Index(s, substr string) int",
  "IndexAny(s, chars string) int",
  "Join(elems []string, sep string) string",
  "LastIndex(s, substr string) int",
  "LastIndexAny(s, chars string) int",
  "Repeat(s string, count int) string",
  "Replace(s, old, new string, n int) string",
  "ReplaceAll(s, old, new string) string",
  "Split(s, sep string) []string",
  "SplitAfter(s, sep string) []string",
  "SplitAfterN(s, sep string, n int) []string",
  "SplitN(s, sep string, n int) []string",
  "Title(s string) string",
  "ToLower(s string) string",
  "ToTitle(s string) string",
  "ToUpper(s string) string",
  "ToValidUTF8(s, replacement string) string",
  "Trim(s, cutset string) string",
  "TrimLeft(s, cutset string) string",
  "TrimPrefix(s, prefix string) string",
  "TrimRight(s, cutset string) string",
  "TrimSpace(s string) string",
  "TrimSuffix(s, suffix string) string",
]);

const STRCONV = goPackage("strconv", "P", [
  "AppendBool(dst []byte, b bool) []byte",
  "AppendInt(dst []byte, i int64, base int) []byte",
  "AppendQuote(dst []byte, s string) []byte",
  "AppendQuoteToASCII(dst []byte, s string) []byte",
  "AppendQuoteToGraphic(dst []byte, s string) []byte",
  "Atoi(s string) (int, error)",
  "CanBackquote(s string) bool",
  "FormatBool(b bool) string",
  "FormatInt(i int64, base int) string",
  "Itoa(i int) string",
  "ParseBool(str string) (bool, error)",
  "ParseFloat(s string, bitSize int) (float64, error)",
  "ParseInt(s string, base int, bitSize int) (int64, error)",
  "Quote(s string) string",
  "QuoteToASCII(s string) string",
  "QuoteToGraphic(s string) string",
  "QuotedPrefix(s string) (string, error)",
  "Unquote(s string) (string, error)",
]);

const F1 = ["Abs", "Acos", "Acosh", "Asin", "Asinh", "Atan", "Atanh", "Cbrt", "Ceil", "Cos", "Cosh", "Erf", "Erfc", "Erfcinv", "Erfinv", "Exp", "Exp2", "Expm1", "Floor", "Gamma", "J0", "J1", "Log", "Log10", "Log1p", "Log2", "Logb", "Round", "RoundToEven", "Sin", "Sinh", "Sqrt", "Tan", "Tanh", "Trunc", "Y0", "Y1"];
const F2 = ["Atan2(y, x", "Copysign(f, sign", "Dim(x, y", "Hypot(p, q", "Max(x, y", "Min(x, y", "Mod(x, y", "Nextafter(x, y", "Pow(x, y", "Remainder(x, y"];

const MATH = goPackage("math", "P", [
  ...F1.map((n) => `${n}(x float64) float64`),
  ...F2.map((n) => `${n} float64) float64`),
  "FMA(x, y, z float64) float64",
  "Ilogb(x float64) int",
  "Inf(sign int) float64",
  "IsInf(f float64, sign int) bool",
  "IsNaN(f float64) bool",
  "Jn(n int, x float64) float64",
  "Ldexp(frac float64, exp int) float64",
  "NaN() float64",
  "Pow10(n int) float64",
  "Signbit(x float64) bool",
  "Yn(n int, x float64) float64",
]);

const MATH_RAND = goPackage("math/rand", "I", [
  "ExpFloat64() float64",
  "Float64() float64",
  "Int() int",
  "Int63() int64",
  "Int63n(n int64) int64",
  "Intn(n int) int",
  "NormFloat64() float64",
]);

const PATH = goPackage("path", "P", [
  "Base(path string) string",
  "Clean(path string) string",
  "Dir(path string) string",
  "Ext(path string) string",
  "IsAbs(path string) bool",
  "Match(pattern, name string) (bool, error)",
]);

const FILEPATH = goPackage(
  "path/filepath",
  "P",
  [
    "Abs(path string) (string, error)",
    "Base(path string) string",
    "Clean(path string) string",
    "Dir(path string) string",
    "EvalSymlinks(path string) (string, error)",
    "Ext(path string) string",
    "FromSlash(path string) string",
    "Glob(pattern string) ([]string, error)",
    "IsAbs(path string) bool",
    "IsLocal(path string) bool",
    "Match(pattern, name string) (bool, error)",
    "Rel(basepath, targpath string) (string, error)",
    "ToSlash(path string) string",
    "VolumeName(path string) string",
  ],
  { Abs: "I", EvalSymlinks: "I", Glob: "I" },
);

const HTML = goPackage("html", "P", ["EscapeString(s string) string", "UnescapeString(s string) string"]);

const OS = goPackage("os", "I", [
  "Environ() []string",
  "Executable() (string, error)",
  "ExpandEnv(s string) string",
  "Getegid() int",
  "Getenv(key string) string",
  "Geteuid() int",
  "Getgid() int",
  "Getpagesize() int",
  "Getpid() int",
  "Getppid() int",
  "Getuid() int",
  "Getwd() (dir string, err error)",
  "Hostname() (name string, err error)",
  "MkdirTemp(dir, pattern string) (string, error)",
  "ReadFile(name string) ([]byte, error)",
  "Readlink(name string) (string, error)",
  "TempDir() string",
  "UserCacheDir() (string, error)",
  "UserConfigDir() (string, error)",
  "UserHomeDir() (string, error)",
]);

const OS_EXEC = goPackage("os/exec", "I", ["LookPath(file string) (string, error)"]);

const RUNTIME = goPackage("runtime", "I", [
  "GOMAXPROCS(n int) int",
  "GOROOT() string",
  "NumCPU() int",
  "NumCgoCall() int64",
  "NumGoroutine() int",
  "Version() string",
]);

export const GOLANG_STD: readonly BuiltinFunc[] = [...HTML, ...MATH, ...MATH_RAND, ...OS, ...OS_EXEC, ...PATH, ...FILEPATH, ...RUNTIME, ...STRCONV, ...STRINGS];
