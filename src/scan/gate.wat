;; The byte gate's inner loops (src/scan/simd-gate.ts), with WebAssembly SIMD: `find` gives the
;; first position whose three bytes may be a trigger literal's fingerprint, 16 positions per
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
;; haystack lies at the addresses given, with at least 16 readable bytes after `end` (loads
;; read past it; what they read is dropped here).
;;
;; Built into src/scan/gate-wasm.generated.ts by `npm run generate:gate` (wabt).
(module
  (import "env" "memory" (memory 1))
  ;; First candidate position p >= i whose three bytes lie before `end` (p + 3 <= end), or -1.
  ;; Each 16-byte block is loaded and split into nibbles once, and looked up in all three pairs
  ;; of tables (t0, t1, t2: the buckets that accept each of its bytes as a fingerprint's byte 0,
  ;; 1, 2). A fingerprint may end at position q when t0[q - 2] & t1[q - 1] & t2[q] != 0: the
  ;; first two are shifted in from the previous block (p0, p1; `i8x16.shuffle` of two blocks is
  ;; one `palignr`). Positions are visited as ends, from `i`: the bytes before `i` count as
  ;; accepted by no bucket, so no candidate starts before `i`. (This replaced three loads and
  ;; nibble splits per block, one for each fingerprint byte: 49 → 36 ms for 196 MiB.)
  (func (export "find") (param $i i32) (param $end i32) (result i32)
    (local $lo0 v128) (local $hi0 v128) (local $lo1 v128) (local $hi1 v128) (local $lo2 v128) (local $hi2 v128)
    (local $nibble v128) (local $v v128) (local $lo v128) (local $hi v128)
    (local $t0 v128) (local $t1 v128) (local $p0 v128) (local $p1 v128) (local $m v128)
    (local $bits i32) (local $left i32)
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
        (local.set $v (v128.load (local.get $i)))
        (local.set $lo (v128.and (local.get $v) (local.get $nibble)))
        (local.set $hi (v128.and (i16x8.shr_u (local.get $v) (i32.const 4)) (local.get $nibble)))
        (local.set $t0 (v128.and (i8x16.swizzle (local.get $lo0) (local.get $lo)) (i8x16.swizzle (local.get $hi0) (local.get $hi))))
        (local.set $t1 (v128.and (i8x16.swizzle (local.get $lo1) (local.get $lo)) (i8x16.swizzle (local.get $hi1) (local.get $hi))))
        (local.set $m (v128.and
          (v128.and (i8x16.swizzle (local.get $lo2) (local.get $lo)) (i8x16.swizzle (local.get $hi2) (local.get $hi)))
          (v128.and
            (i8x16.shuffle 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 (local.get $p1) (local.get $t1))
            (i8x16.shuffle 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 (local.get $p0) (local.get $t0)))))
        (local.set $p0 (local.get $t0))
        (local.set $p1 (local.get $t1))
        (if (v128.any_true (local.get $m))
          (then
            ;; Bit k: a fingerprint ends at i + k, so a candidate starts at i + k - 2.
            (local.set $bits (i8x16.bitmask (i8x16.ne (local.get $m) (v128.const i32x4 0 0 0 0))))
            ;; Drop fingerprints ending at or after `end`.
            (local.set $left (i32.sub (local.get $end) (local.get $i)))
            (if (i32.lt_u (local.get $left) (i32.const 16))
              (then (local.set $bits (i32.and (local.get $bits)
                (i32.sub (i32.shl (i32.const 1) (local.get $left)) (i32.const 1))))))
            (if (local.get $bits)
              (then (return (i32.sub (i32.add (local.get $i) (i32.ctz (local.get $bits))) (i32.const 2)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
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
