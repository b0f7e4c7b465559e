/**
 * Go `math` package semantics where JS's `Math` differs or is missing (special cases of Pow,
 * Max/Min, Round half away from zero, IEEE Remainder, Nextafter, Logb/Ilogb, Erf family, Gamma,
 * Bessel J). mgmt's `golang/math` wrappers and `math.pow` use these.
 */
const buf = new DataView(new ArrayBuffer(8));
function bits(x) {
    buf.setFloat64(0, x);
    return buf.getBigUint64(0);
}
function fromBits(b) {
    buf.setBigUint64(0, BigInt.asUintN(64, b));
    return buf.getFloat64(0);
}
export function signbit(x) {
    return (bits(x) >> 63n) === 1n;
}
export function copysign(f, sign) {
    return signbit(f) === signbit(sign) ? f : -f;
}
/** math.Pow: unlike `**`, Pow(1, y) = 1 and Pow(-1, ±Inf) = 1. */
export function goPow(x, y) {
    if (y === 0 || x === 1)
        return 1;
    if (x === -1 && (y === Infinity || y === -Infinity))
        return 1;
    return x ** y;
}
export function goMax(x, y) {
    if (x === Infinity || y === Infinity)
        return Infinity;
    if (Number.isNaN(x) || Number.isNaN(y))
        return NaN;
    if (x === 0 && x === y)
        return signbit(x) ? y : x;
    return x > y ? x : y;
}
export function goMin(x, y) {
    if (x === -Infinity || y === -Infinity)
        return -Infinity;
    if (Number.isNaN(x) || Number.isNaN(y))
        return NaN;
    if (x === 0 && x === y)
        return signbit(x) ? x : y;
    return x < y ? x : y;
}
export function goDim(x, y) {
    const v = x - y;
    if (Number.isNaN(v))
        return NaN;
    return v <= 0 ? 0 : v;
}
/** math.Round: half away from zero (JS Math.round rounds half up). */
export function goRound(x) {
    if (!Number.isFinite(x))
        return x;
    const t = Math.trunc(x);
    return Math.abs(x - t) >= 0.5 ? t + copysign(1, x) : t;
}
export function goRoundToEven(x) {
    if (!Number.isFinite(x))
        return x;
    const t = Math.trunc(x);
    const d = Math.abs(x - t);
    return d > 0.5 || (d === 0.5 && t % 2 !== 0) ? t + copysign(1, x) : t;
}
/** math.Remainder (IEEE 754), ported from Go's remainder.go. */
export function goRemainder(x, y) {
    const TINY = 4.45014771701440276618e-308;
    const HALF_MAX = Number.MAX_VALUE / 2;
    if (Number.isNaN(x) || Number.isNaN(y) || !Number.isFinite(x) || y === 0)
        return NaN;
    if (!Number.isFinite(y))
        return x;
    let sign = false;
    if (x < 0)
        (x = -x), (sign = true);
    if (y < 0)
        y = -y;
    if (x === y)
        return sign ? -0 : 0;
    if (y <= HALF_MAX)
        x = x % (y + y);
    if (y < TINY) {
        if (x + x > y) {
            x -= y;
            if (x + x >= y)
                x -= y;
        }
    }
    else {
        const yHalf = 0.5 * y;
        if (x > yHalf) {
            x -= y;
            if (x >= yHalf)
                x -= y;
        }
    }
    return sign ? -x : x;
}
export function goNextafter(x, y) {
    if (Number.isNaN(x) || Number.isNaN(y))
        return NaN;
    if (x === y)
        return x;
    if (x === 0)
        return copysign(fromBits(1n), y);
    return (y > x) === (x > 0) ? fromBits(bits(x) + 1n) : fromBits(bits(x) - 1n);
}
/** math.Ilogb: the binary exponent; Ilogb(0) = MinInt32, Ilogb(±Inf/NaN) = MaxInt32. */
export function goIlogb(x) {
    if (x === 0)
        return -2147483648;
    if (!Number.isFinite(x))
        return 2147483647;
    const e = Number((bits(x) >> 52n) & 0x7ffn);
    if (e === 0)
        return goIlogb(x * 2 ** 52) - 52; // subnormal
    return e - 1023;
}
export function goLogb(x) {
    if (x === 0)
        return -Infinity;
    if (!Number.isFinite(x))
        return Number.isNaN(x) ? NaN : Infinity;
    return goIlogb(x);
}
export function goLdexp(frac, exp) {
    if (frac === 0 || !Number.isFinite(frac))
        return frac;
    let r = frac;
    // scale in steps so that 2^exp itself never overflows or underflows
    while (exp > 1000)
        (r *= 2 ** 1000), (exp -= 1000);
    while (exp < -1000)
        (r *= 2 ** -1000), (exp += 1000);
    return r * 2 ** exp;
}
export function goPow10(n) {
    if (n < -323)
        return 0;
    if (n > 308)
        return Infinity;
    return Number(`1e${n}`);
}
// ---------------------------------------------------------------------------------------------
// Erf family: series for small |x|, continued fraction for erfc at large |x| (within a few ulps of Go)
const TWO_SQRTPI = 2 / Math.sqrt(Math.PI);
function erfSeries(x) {
    // erf(x) = 2/sqrt(pi) * exp(-x^2) * sum 2^n x^(2n+1) / (1*3*...*(2n+1)); all terms positive
    let term = x;
    let sum = x;
    for (let n = 1; n < 500; n++) {
        term *= (2 * x * x) / (2 * n + 1);
        sum += term;
        if (Math.abs(term) < Math.abs(sum) * 1e-17)
            break;
    }
    return TWO_SQRTPI * Math.exp(-x * x) * sum;
}
function erfcContinued(x) {
    // Lentz's method for erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...))))
    const tiny = 1e-300;
    let f = x, c = x, d = 0;
    for (let n = 1; n < 500; n++) {
        const a = n / 2;
        d = x + a * d;
        d = d === 0 ? tiny : d;
        c = x + a / c;
        c = c === 0 ? tiny : c;
        d = 1 / d;
        const delta = c * d;
        f *= delta;
        if (Math.abs(delta - 1) < 1e-16)
            break;
    }
    return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}
export function goErf(x) {
    if (Number.isNaN(x))
        return NaN;
    if (x === Infinity)
        return 1;
    if (x === -Infinity)
        return -1;
    if (x === 0)
        return x;
    const ax = Math.abs(x);
    const r = ax < 2.5 ? erfSeries(ax) : ax > 6 ? 1 : 1 - erfcContinued(ax);
    return x < 0 ? -r : r;
}
export function goErfc(x) {
    if (Number.isNaN(x))
        return NaN;
    if (x === Infinity)
        return 0;
    if (x === -Infinity)
        return 2;
    const ax = Math.abs(x);
    const r = ax < 2.5 ? 1 - erfSeries(ax) : ax > 27.3 ? 0 : erfcContinued(ax);
    return x < 0 ? 2 - r : r;
}
export function goErfinv(y) {
    if (Number.isNaN(y) || y < -1 || y > 1)
        return NaN;
    if (y === 1)
        return Infinity;
    if (y === -1)
        return -Infinity;
    if (y === 0)
        return y;
    // Winitzki's approximation, then Newton steps on erf
    const a = 0.147;
    const ln = Math.log(1 - y * y);
    const t = 2 / (Math.PI * a) + ln / 2;
    let x = Math.sign(y) * Math.sqrt(Math.sqrt(t * t - ln / a) - t);
    for (let i = 0; i < 4; i++) {
        const err = goErf(x) - y;
        const step = err / (TWO_SQRTPI * Math.exp(-x * x));
        x -= step;
        if (Math.abs(step) <= Math.abs(x) * 1e-16)
            break;
    }
    return x;
}
export function goErfcinv(x) {
    return goErfinv(1 - x);
}
// ---------------------------------------------------------------------------------------------
// Gamma (Lanczos, g = 7; exact factorials for small positive integers)
const LANCZOS = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
export function goGamma(x) {
    if (Number.isNaN(x) || x === -Infinity)
        return NaN;
    if (x === Infinity)
        return Infinity;
    if (x === 0)
        return signbit(x) ? -Infinity : Infinity;
    if (x < 0 && Number.isInteger(x))
        return NaN;
    if (Number.isInteger(x) && x <= 171) {
        let f = 1;
        for (let i = 2; i < x; i++)
            f *= i;
        return f;
    }
    if (x > 171.61447887182298)
        return Infinity;
    if (x < 0.5)
        return Math.PI / (Math.sin(Math.PI * x) * goGamma(1 - x));
    const z = x - 1;
    let a = LANCZOS[0];
    const t = z + 7.5;
    for (let i = 1; i < 9; i++)
        a += LANCZOS[i] / (z + i);
    // split the power to avoid overflow near the top of the range
    const p = Math.pow(t, (z + 0.5) / 2);
    return Math.sqrt(2 * Math.PI) * p * (p * Math.exp(-t)) * a;
}
// ---------------------------------------------------------------------------------------------
// Bessel J: Bessel's integral J_n(x) = 1/pi ∫_0^pi cos(n τ - x sin τ) dτ; the trapezoidal rule
// on this periodic analytic integrand converges exponentially.
export function goJn(n, x) {
    if (Number.isNaN(x))
        return NaN;
    if (!Number.isFinite(x))
        return 0;
    const ax = Math.abs(x);
    if (ax > 1e5)
        return Math.sqrt(2 / (Math.PI * ax)) * Math.cos(ax - (n * Math.PI) / 2 - Math.PI / 4) * (x < 0 && n % 2 !== 0 ? -1 : 1);
    const m = 2 * Math.ceil(ax + Math.abs(n)) + 64;
    let sum = 0;
    for (let k = 0; k < m; k++) {
        const tau = ((k + 0.5) * 2 * Math.PI) / m;
        sum += Math.cos(n * tau - x * Math.sin(tau));
    }
    return sum / m;
}
