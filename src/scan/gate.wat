;; The byte gate's inner loops (src/scan/simd-gate.ts), with WebAssembly SIMD: `find` gives the
;; first position whose three bytes may start a trigger literal's fingerprint, 32 positions per
;; step; `count_breaks` and `count_lf` count line breaks for the sparse scanner (scan/sparse.ts).
;;
;; Each trigger literal is represented by three consecutive bytes of it (its fingerprint), and
;; each fingerprint belongs to one of 8 buckets (a bit of a byte). For the k-th byte of a
;; fingerprint (k = 0, 1, 2), two 16-byte tables give, for the byte's low and high nibble, the
;; buckets that accept it. A position is a candidate when some bucket accepts all three of its
;; bytes: (lo0[b0 & 15] & hi0[b0 >> 4]) & (lo1[b1 & 15] & hi1[b1 >> 4]) & (lo2 … b2) != 0.
;; Nibble tables over-approximate (a bucket also accepts nibble combinations of its own
;; fingerprints), so every candidate is checked by the caller; none is ever missed.
;;
;; Memory layout (imported): bytes 0..95 hold the six tables (lo0 hi0 lo1 hi1 lo2 hi2); the
;; haystack lies at the addresses given, with at least 34 readable bytes after `end` (loads
;; read past it; candidates at or after `end` are dropped here).
;;
;; Built into src/scan/gate-wasm.generated.ts by `npm run generate:gate` (wabt).
;; Two 16-byte blocks per step, tested together: their lookups are independent, which keeps
;; the CPU's vector units busy, and one branch serves both.
(module
  (import "env" "memory" (memory 1))
  ;; First candidate position in [i, end), or -1.
  (func (export "find") (param $i i32) (param $end i32) (result i32)
    (local $lo0 v128) (local $hi0 v128) (local $lo1 v128) (local $hi1 v128) (local $lo2 v128) (local $hi2 v128)
    (local $nibble v128) (local $v v128) (local $w v128) (local $m v128) (local $n v128) (local $bits i32) (local $left i32)
    (local.set $lo0 (v128.load (i32.const 0)))
    (local.set $hi0 (v128.load (i32.const 16)))
    (local.set $lo1 (v128.load (i32.const 32)))
    (local.set $hi1 (v128.load (i32.const 48)))
    (local.set $lo2 (v128.load (i32.const 64)))
    (local.set $hi2 (v128.load (i32.const 80)))
    (local.set $nibble (i8x16.splat (i32.const 15)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        ;; Buckets accepting byte 0 at each of the 32 positions (m: first block, n: second)…
        (local.set $v (v128.load (local.get $i)))
        (local.set $w (v128.load offset=16 (local.get $i)))
        (local.set $m (v128.and
          (i8x16.swizzle (local.get $lo0) (v128.and (local.get $v) (local.get $nibble)))
          (i8x16.swizzle (local.get $hi0) (i8x16.shr_u (local.get $v) (i32.const 4)))))
        (local.set $n (v128.and
          (i8x16.swizzle (local.get $lo0) (v128.and (local.get $w) (local.get $nibble)))
          (i8x16.swizzle (local.get $hi0) (i8x16.shr_u (local.get $w) (i32.const 4)))))
        ;; …and byte 1 after it…
        (local.set $v (v128.load offset=1 (local.get $i)))
        (local.set $w (v128.load offset=17 (local.get $i)))
        (local.set $m (v128.and (local.get $m) (v128.and
          (i8x16.swizzle (local.get $lo1) (v128.and (local.get $v) (local.get $nibble)))
          (i8x16.swizzle (local.get $hi1) (i8x16.shr_u (local.get $v) (i32.const 4))))))
        (local.set $n (v128.and (local.get $n) (v128.and
          (i8x16.swizzle (local.get $lo1) (v128.and (local.get $w) (local.get $nibble)))
          (i8x16.swizzle (local.get $hi1) (i8x16.shr_u (local.get $w) (i32.const 4))))))
        ;; …and byte 2.
        (local.set $v (v128.load offset=2 (local.get $i)))
        (local.set $w (v128.load offset=18 (local.get $i)))
        (local.set $m (v128.and (local.get $m) (v128.and
          (i8x16.swizzle (local.get $lo2) (v128.and (local.get $v) (local.get $nibble)))
          (i8x16.swizzle (local.get $hi2) (i8x16.shr_u (local.get $v) (i32.const 4))))))
        (local.set $n (v128.and (local.get $n) (v128.and
          (i8x16.swizzle (local.get $lo2) (v128.and (local.get $w) (local.get $nibble)))
          (i8x16.swizzle (local.get $hi2) (i8x16.shr_u (local.get $w) (i32.const 4))))))
        (if (v128.any_true (v128.or (local.get $m) (local.get $n)))
          (then
            ;; Bit k: position i + k (k < 32) is a candidate.
            (local.set $bits (i32.or
              (i8x16.bitmask (i8x16.ne (local.get $m) (v128.const i32x4 0 0 0 0)))
              (i32.shl (i8x16.bitmask (i8x16.ne (local.get $n) (v128.const i32x4 0 0 0 0))) (i32.const 16))))
            ;; Drop positions at or after `end`.
            (local.set $left (i32.sub (local.get $end) (local.get $i)))
            (if (i32.lt_u (local.get $left) (i32.const 32))
              (then (local.set $bits (i32.and (local.get $bits)
                (i32.sub (i32.shl (i32.const 1) (local.get $left)) (i32.const 1))))))
            (if (local.get $bits)
              (then (return (i32.add (local.get $i) (i32.ctz (local.get $bits))))))))
        (local.set $i (i32.add (local.get $i) (i32.const 32)))
        (br $next)))
    (i32.const -1))

  ;; Line breaks in [i, end): each `\n`, and each `\r` not followed by `\n` (a `\r\n` pair counts
  ;; once, at its `\n`), as positions.ts counts them. Reads the byte at `end` (a `\r` there is
  ;; the caller's to place: it ends a line only if that byte is not `\n`) and up to 16 bytes past
  ;; `end` (ignored). 16 positions per step; lane counters are summed before they can overflow.
  (func $count_breaks (export "count_breaks") (param $i i32) (param $end i32) (result i32)
    (local $acc v128) (local $v v128) (local $breaks v128) (local $total i32) (local $steps i32) (local $b i32)
    (block $done
      (loop $next
        (br_if $done (i32.gt_u (i32.add (local.get $i) (i32.const 16)) (local.get $end)))
        (local.set $v (v128.load (local.get $i)))
        ;; 0xff where the byte is `\n`, or `\r` and the next byte is not `\n`.
        (local.set $breaks (v128.or
          (i8x16.eq (local.get $v) (i8x16.splat (i32.const 10)))
          (v128.andnot
            (i8x16.eq (local.get $v) (i8x16.splat (i32.const 13)))
            (i8x16.eq (v128.load offset=1 (local.get $i)) (i8x16.splat (i32.const 10))))))
        (local.set $acc (i8x16.sub (local.get $acc) (local.get $breaks)))
        (local.set $steps (i32.add (local.get $steps) (i32.const 1)))
        (if (i32.eq (local.get $steps) (i32.const 255))
          (then
            (local.set $total (i32.add (local.get $total) (call $sum (local.get $acc))))
            (local.set $acc (v128.const i32x4 0 0 0 0))
            (local.set $steps (i32.const 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next)))
    (local.set $total (i32.add (local.get $total) (call $sum (local.get $acc))))
    ;; The last few bytes one by one.
    (block $tail
      (loop $byte
        (br_if $tail (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $b (i32.load8_u (local.get $i)))
        (if (i32.or
              (i32.eq (local.get $b) (i32.const 10))
              (i32.and (i32.eq (local.get $b) (i32.const 13))
                       (i32.ne (i32.load8_u offset=1 (local.get $i)) (i32.const 10))))
          (then (local.set $total (i32.add (local.get $total) (i32.const 1)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $byte)))
    (local.get $total))

  ;; `\n` bytes in [i, end), for text without `\r` (count_breaks without its `\r` test), 64
  ;; positions per step in four independent lanes of counters. Reads what count_breaks reads
  ;; past `end`.
  (func (export "count_lf") (param $i i32) (param $end i32) (result i32)
    (local $a v128) (local $b v128) (local $c v128) (local $d v128) (local $lf v128)
    (local $total i32) (local $steps i32)
    (local.set $lf (i8x16.splat (i32.const 10)))
    (block $done
      (loop $next
        (br_if $done (i32.gt_u (i32.add (local.get $i) (i32.const 64)) (local.get $end)))
        (local.set $a (i8x16.sub (local.get $a) (i8x16.eq (v128.load (local.get $i)) (local.get $lf))))
        (local.set $b (i8x16.sub (local.get $b) (i8x16.eq (v128.load offset=16 (local.get $i)) (local.get $lf))))
        (local.set $c (i8x16.sub (local.get $c) (i8x16.eq (v128.load offset=32 (local.get $i)) (local.get $lf))))
        (local.set $d (i8x16.sub (local.get $d) (i8x16.eq (v128.load offset=48 (local.get $i)) (local.get $lf))))
        (local.set $steps (i32.add (local.get $steps) (i32.const 1)))
        (if (i32.eq (local.get $steps) (i32.const 255))
          (then
            (local.set $total (i32.add (local.get $total) (i32.add
              (i32.add (call $sum (local.get $a)) (call $sum (local.get $b)))
              (i32.add (call $sum (local.get $c)) (call $sum (local.get $d))))))
            (local.set $a (v128.const i32x4 0 0 0 0))
            (local.set $b (v128.const i32x4 0 0 0 0))
            (local.set $c (v128.const i32x4 0 0 0 0))
            (local.set $d (v128.const i32x4 0 0 0 0))
            (local.set $steps (i32.const 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 64)))
        (br $next)))
    (local.set $total (i32.add (local.get $total) (i32.add
      (i32.add (call $sum (local.get $a)) (call $sum (local.get $b)))
      (i32.add (call $sum (local.get $c)) (call $sum (local.get $d))))))
    ;; The rest (fewer than 64 bytes) with count_breaks, which handles `\r` too.
    (i32.add (local.get $total) (call $count_breaks (local.get $i) (local.get $end))))

  ;; Sum of the 16 unsigned byte lanes of `v`.
  (func $sum (param $v v128) (result i32)
    (local $w v128)
    (local.set $w (i32x4.extadd_pairwise_i16x8_u (i16x8.extadd_pairwise_i8x16_u (local.get $v))))
    (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $w)) (i32x4.extract_lane 1 (local.get $w)))
      (i32.add (i32x4.extract_lane 2 (local.get $w)) (i32x4.extract_lane 3 (local.get $w))))))
