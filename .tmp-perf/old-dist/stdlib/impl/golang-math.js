/**
 * `golang/math` (mcl-language.md §13): Go's math package. JS's Math is used where it agrees with
 * Go; go-math.ts has the rest. Y0/Y1/Yn (Bessel functions of the second kind) are not
 * implemented yet; FMA is not fused.
 */
import { argFloat, argInt, toNum } from "./args.js";
import { registerGo, notImplemented } from "./golang-common.js";
import { copysign, goDim, goErf, goErfc, goErfcinv, goErfinv, goGamma, goIlogb, goJn, goLdexp, goLogb, goMax, goMin, goNextafter, goPow, goPow10, goRemainder, goRound, goRoundToEven, signbit, } from "./go-math.js";
const f = argFloat;
const n = (a, i) => toNum(argInt(a, i));
const f1 = (g) => (a) => g(f(a, 0));
const f2 = (g) => (a) => g(f(a, 0), f(a, 1));
registerGo("math", {
    Abs: f1(Math.abs),
    Acos: f1(Math.acos),
    Acosh: f1(Math.acosh),
    Asin: f1(Math.asin),
    Asinh: f1(Math.asinh),
    Atan: f1(Math.atan),
    Atanh: f1(Math.atanh),
    Cbrt: f1(Math.cbrt),
    Ceil: f1(Math.ceil),
    Cos: f1(Math.cos),
    Cosh: f1(Math.cosh),
    Erf: f1(goErf),
    Erfc: f1(goErfc),
    Erfcinv: f1(goErfcinv),
    Erfinv: f1(goErfinv),
    Exp: f1(Math.exp),
    Exp2: f1((x) => 2 ** x),
    Expm1: f1(Math.expm1),
    Floor: f1(Math.floor),
    Gamma: f1(goGamma),
    J0: f1((x) => goJn(0, x)),
    J1: f1((x) => goJn(1, x)),
    Log: f1(Math.log),
    Log10: f1(Math.log10),
    Log1p: f1(Math.log1p),
    Log2: f1(Math.log2),
    Logb: f1(goLogb),
    Round: f1(goRound),
    RoundToEven: f1(goRoundToEven),
    Sin: f1(Math.sin),
    Sinh: f1(Math.sinh),
    Sqrt: f1(Math.sqrt),
    Tan: f1(Math.tan),
    Tanh: f1(Math.tanh),
    Trunc: f1(Math.trunc),
    Y0: notImplemented,
    Y1: notImplemented,
    Atan2: f2(Math.atan2),
    Copysign: f2(copysign),
    Dim: f2(goDim),
    Hypot: f2(Math.hypot),
    Max: f2(goMax),
    Min: f2(goMin),
    Mod: f2((x, y) => x % y),
    Nextafter: f2(goNextafter),
    Pow: f2(goPow),
    Remainder: f2(goRemainder),
    FMA: (a) => f(a, 0) * f(a, 1) + f(a, 2),
    Ilogb: (a) => BigInt(goIlogb(f(a, 0))),
    Inf: (a) => (argInt(a, 0) >= 0n ? Infinity : -Infinity),
    IsInf: (a) => {
        const x = f(a, 0), sign = argInt(a, 1);
        return (sign >= 0n && x === Infinity) || (sign <= 0n && x === -Infinity);
    },
    IsNaN: (a) => Number.isNaN(f(a, 0)),
    Jn: (a) => goJn(n(a, 0), f(a, 1)),
    Ldexp: (a) => goLdexp(f(a, 0), n(a, 1)),
    NaN: () => NaN,
    Pow10: (a) => goPow10(n(a, 0)),
    Signbit: (a) => signbit(f(a, 0)),
    Yn: notImplemented,
});
